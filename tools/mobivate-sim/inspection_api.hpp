// SPDX-License-Identifier: Apache-2.0
// The simulator's own endpoints under /_sim/: inspect records and the request log, reset, faults.
#pragma once

#include <Poco/JSON/Object.h>

#include "contact_store.hpp"
#include "endpoint_counters.hpp"
#include "fault_injector.hpp"
#include "message_store.hpp"
#include "refusal.hpp"
#include "request_log.hpp"
#include "request_router.hpp"

namespace mobisync::sim {

/// GET /_sim/contacts, /_sim/requests, /_sim/messages, /_sim/stats; POST /_sim/reset,
/// /_sim/faults, /_sim/refuse, /_sim/resume.
/// Thread-safe; the shared objects must outlive it.
class InspectionApi {
 public:
  /// `can_resume`: a control port serves these endpoints while the API port is closed; without
  /// one, closing it (refuse_after, /_sim/refuse) is refused, as nothing could reopen it.
  InspectionApi(ContactStore& store, RequestLog& log, MessageStore& messages,
                EndpointCounters& counters, FaultInjector& faults, Refusal& refusal,
                bool can_resume);

  void registerRoutes(RequestRouter& router);

 private:
  void contacts(Poco::Net::HTTPServerResponse& response);
  void requests(Poco::Net::HTTPServerResponse& response);
  void messages(Poco::Net::HTTPServerResponse& response);
  void stats(Poco::Net::HTTPServerResponse& response);
  void reset(Poco::Net::HTTPServerResponse& response);
  void faults(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  void refuse(Poco::Net::HTTPServerResponse& response);
  void resume(Poco::Net::HTTPServerResponse& response);
  Poco::JSON::Object::Ptr describeFaults() const;

  ContactStore& store_;
  RequestLog& log_;
  MessageStore& messages_;
  EndpointCounters& counters_;
  FaultInjector& faults_;
  Refusal& refusal_;
  const bool can_resume_;
};

}  // namespace mobisync::sim
