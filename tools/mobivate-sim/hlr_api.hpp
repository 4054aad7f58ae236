// SPDX-License-Identifier: Apache-2.0
// The provider's synchronous HLR lookup: POST /hlr/lookup {"recipients": [...]} with a Bearer key.
#pragma once

#include <set>
#include <string>

#include "fault_injector.hpp"
#include "request_router.hpp"

namespace mobisync::sim {

/// Answers every valid number as live on a network chosen by prefix, except those listed as
/// inactive (absent subscriber, permanent). Thread-safe; `faults` must outlive it.
class HlrApi {
 public:
  HlrApi(std::string api_key, std::set<std::string> inactive, FaultInjector& faults);

  void registerRoutes(RequestRouter& router);

 private:
  void lookup(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  const std::string api_key_;
  const std::set<std::string> inactive_;
  FaultInjector& faults_;
};

}  // namespace mobisync::sim
