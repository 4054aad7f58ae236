// SPDX-License-Identifier: Apache-2.0
// Request routing for the simulator, with JSON 404/405/500 replies for everything unrouted.
#include "request_router.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>

#include <limits>

#include "api_request.hpp"
#include "connection_faults.hpp"
#include "json_reply.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::Net::HTTPResponse;

// Runs the routed handler (or answers the routing error) and keeps the connection usable.
class RoutedHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RoutedHandler(const RouteHandler* handler, HTTPResponse::HTTPStatus miss_status,
                EndpointCounters* counters, std::string endpoint)
      : handler_(handler),
        miss_status_(miss_status),
        counters_(counters),
        endpoint_(std::move(endpoint)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    ConnectionFaults connection(request, [this](const std::string& outcome) {
      if (counters_ != nullptr) counters_->count(endpoint_, outcome);
    });
    try {
      if (handler_ != nullptr) {
        (*handler_)(request, response);
      } else if (miss_status_ == HTTPResponse::HTTP_METHOD_NOT_ALLOWED) {
        sendError(response, miss_status_, "method not allowed");
      } else {
        sendError(response, miss_status_, "not found");
      }
    } catch (const Poco::Exception& e) {
      failSafely(response, e.displayText());
    } catch (const std::exception& e) {
      failSafely(response, e.what());
    }
    if (counters_ != nullptr && !connection.counted()) {
      counters_->count(endpoint_, response.sent()
                                      ? std::to_string(static_cast<int>(response.getStatus()))
                                      : std::string("no response"));
    }
    // A handler that ignored a request body would leave it to be parsed as the next request on
    // this keep-alive connection; draining here keeps every handler free of that concern. On a
    // socket the handler closed this fails quietly (the stream sets badbit, it does not throw).
    // Only a declared body is drained: for a request with neither Content-Length nor chunked
    // encoding (`curl -X POST` without data) Poco's stream reads until the client closes, and
    // the client waits for the answer still buffered here: both sat out the 60 s keep-alive
    // timeout. Such a request has no body (RFC 9112 6.3).
    if (hasDeclaredBody(request)) {
      request.stream().ignore(std::numeric_limits<std::streamsize>::max());
    }
  }

 private:
  static void failSafely(Poco::Net::HTTPServerResponse& response, const std::string& why) {
    if (!response.sent()) {
      sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "simulator failure: " + why);
    }
  }

  const RouteHandler* handler_;
  HTTPResponse::HTTPStatus miss_status_;
  EndpointCounters* counters_;  // nullptr: not counted
  std::string endpoint_;
};

}  // namespace

void RequestRouter::add(const std::string& method, const std::string& path, RouteHandler handler) {
  routes_[path][method] = std::move(handler);
}

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  const std::string path = pathOf(request.getURI());
  const bool inspection = path.rfind("/_sim/", 0) == 0;
  std::string route = path;
  if (!inspection && !base_path_.empty()) {
    // Only below the base path: a client that left it out (or doubled it) is not found.
    const bool below = path.size() > base_path_.size() && path.rfind(base_path_, 0) == 0 &&
                       path[base_path_.size()] == '/';
    route = below ? path.substr(base_path_.size()) : std::string();
    if (route.rfind("/_sim/", 0) == 0) route.clear();  // /gw/_sim/... is no route either
  }
  auto by_path = routes_.find(route);
  if (by_path == routes_.end()) {
    return new RoutedHandler(nullptr, HTTPResponse::HTTP_NOT_FOUND, nullptr, {});
  }
  // Only routed paths are counted, so a client probing random URLs cannot grow the table.
  EndpointCounters* counters = inspection ? nullptr : &counters_;
  auto by_method = by_path->second.find(request.getMethod());
  if (by_method == by_path->second.end()) {
    return new RoutedHandler(nullptr, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, counters, path);
  }
  return new RoutedHandler(&by_method->second, HTTPResponse::HTTP_OK, counters, path);
}

}  // namespace mobisync::sim
