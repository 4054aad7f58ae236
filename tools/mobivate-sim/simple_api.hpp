// SPDX-License-Identifier: Apache-2.0
// The provider's Simple API: GET or POST (form) /gateway/api/simple/MT, answering in plain text.
#pragma once

#include <string>

#include "console.hpp"
#include "fault_injector.hpp"
#include "message_store.hpp"
#include "request_router.hpp"
#include "send_rules.hpp"

namespace mobisync::sim {

/// Account credentials are the proxy API's. Thread-safe; shared objects must outlive it.
class SimpleApi {
 public:
  SimpleApi(std::string username, std::string password, OptoutList optouts,
            MessageStore& messages, FaultInjector& faults, Console& console);

  void registerRoutes(RequestRouter& router);

 private:
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  const std::string username_;
  const std::string password_;
  const OptoutList optouts_;
  MessageStore& messages_;
  FaultInjector& faults_;
  Console& console_;
};

}  // namespace mobisync::sim
