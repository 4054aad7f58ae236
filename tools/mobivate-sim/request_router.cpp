// SPDX-License-Identifier: Apache-2.0
// Request routing for the simulator, with JSON 404/405/500 replies for everything unrouted.
#include "request_router.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>

#include <limits>

#include "json_reply.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::Net::HTTPResponse;

// Runs the routed handler (or answers the routing error) and keeps the connection usable.
class RoutedHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RoutedHandler(const RouteHandler* handler, HTTPResponse::HTTPStatus miss_status)
      : handler_(handler), miss_status_(miss_status) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
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
    // A handler that ignored a request body would leave it to be parsed as the next request on
    // this keep-alive connection; draining here keeps every handler free of that concern.
    request.stream().ignore(std::numeric_limits<std::streamsize>::max());
  }

 private:
  static void failSafely(Poco::Net::HTTPServerResponse& response, const std::string& why) {
    if (!response.sent()) {
      sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "simulator failure: " + why);
    }
  }

  const RouteHandler* handler_;
  HTTPResponse::HTTPStatus miss_status_;
};

}  // namespace

void RequestRouter::add(const std::string& method, const std::string& path, RouteHandler handler) {
  routes_[path][method] = std::move(handler);
}

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  auto by_path = routes_.find(pathOf(request.getURI()));
  if (by_path == routes_.end()) {
    return new RoutedHandler(nullptr, HTTPResponse::HTTP_NOT_FOUND);
  }
  auto by_method = by_path->second.find(request.getMethod());
  if (by_method == by_path->second.end()) {
    return new RoutedHandler(nullptr, HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
  }
  return new RoutedHandler(&by_method->second, HTTPResponse::HTTP_OK);
}

}  // namespace mobisync::sim
