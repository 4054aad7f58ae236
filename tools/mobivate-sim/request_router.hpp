// SPDX-License-Identifier: Apache-2.0
// Maps (method, path) to the handler of one simulated API, answering 404/405 in JSON otherwise.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <map>
#include <string>

#include "endpoint_counters.hpp"

namespace mobisync::sim {

using RouteHandler =
    std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

/// The HTTP server's handler factory. Routes are added before the server starts and only read
/// afterwards, so lookups take no lock. Owned by the HTTPServer it is given to.
class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  /// Requests to routed paths outside /_sim/ are counted in `counters`, which must outlive this,
  /// under the path as requested. With a `base_path` ("/gw", no trailing '/') every route outside
  /// /_sim/ is served only below it ("/gw/send/single"), and its bare path is not found.
  explicit RequestRouter(EndpointCounters& counters, std::string base_path = "")
      : counters_(counters), base_path_(std::move(base_path)) {}

  /// Registers `handler` for an exact path (no query), below the base path unless it is under
  /// /_sim/. A second add for the same pair replaces.
  void add(const std::string& method, const std::string& path, RouteHandler handler);

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  EndpointCounters& counters_;
  std::string base_path_;
  std::map<std::string, std::map<std::string, RouteHandler>> routes_;  // path -> method -> handler
};

}  // namespace mobisync::sim
