// SPDX-License-Identifier: Apache-2.0
// The simulator's own endpoints under /_sim/: inspect records and the request log, reset, faults.
#pragma once

#include "contact_store.hpp"
#include "endpoint_counters.hpp"
#include "fault_injector.hpp"
#include "message_store.hpp"
#include "request_log.hpp"
#include "request_router.hpp"

namespace mobisync::sim {

/// GET /_sim/contacts, /_sim/requests, /_sim/messages, /_sim/stats; POST /_sim/reset,
/// /_sim/faults.
/// Thread-safe; the shared objects must outlive it.
class InspectionApi {
 public:
  InspectionApi(ContactStore& store, RequestLog& log, MessageStore& messages,
                EndpointCounters& counters, FaultInjector& faults);

  void registerRoutes(RequestRouter& router);

 private:
  void contacts(Poco::Net::HTTPServerResponse& response);
  void requests(Poco::Net::HTTPServerResponse& response);
  void messages(Poco::Net::HTTPServerResponse& response);
  void stats(Poco::Net::HTTPServerResponse& response);
  void reset(Poco::Net::HTTPServerResponse& response);
  void faults(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  ContactStore& store_;
  RequestLog& log_;
  MessageStore& messages_;
  EndpointCounters& counters_;
  FaultInjector& faults_;
};

}  // namespace mobisync::sim
