// SPDX-License-Identifier: Apache-2.0
// MetricsServer on Poco::Net::HTTPServer.
#include "metrics/metrics_server.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

namespace mobisync::metrics {

namespace {

using Poco::Net::HTTPResponse;

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const Registry& registry, const MetricsServer::Health& health)
      : registry_(registry), health_(health) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string path = request.getURI();
    if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
    const bool get = request.getMethod() == "GET" || request.getMethod() == "HEAD";
    std::string body;
    if (path == "/metrics" && get) {
      response.setStatus(HTTPResponse::HTTP_OK);
      response.setContentType("text/plain; version=0.0.4; charset=utf-8");
      body = registry_.exposition();
    } else if (path == "/healthz" && get) {
      const std::string problem = health_ ? health_() : std::string();
      response.setStatus(problem.empty() ? HTTPResponse::HTTP_OK
                                         : HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
      response.setContentType("text/plain; charset=utf-8");
      body = problem.empty() ? "ok\n" : problem + "\n";
    } else {
      response.setStatus(get ? HTTPResponse::HTTP_NOT_FOUND : HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
      response.setContentType("text/plain; charset=utf-8");
      body = get ? "not found; try /metrics or /healthz\n" : "only GET\n";
    }
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    auto& out = response.send();
    if (request.getMethod() != "HEAD") out << body;
  }

 private:
  const Registry& registry_;
  const MetricsServer::Health& health_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Registry& registry, MetricsServer::Health health)
      : registry_(registry), health_(std::move(health)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(registry_, health_);
  }

 private:
  const Registry& registry_;
  MetricsServer::Health health_;
};

}  // namespace

MetricsServer::MetricsServer(const std::string& listen, const Registry& registry, Health health)
    : listen_(listen) {
  Poco::Net::ServerSocket socket{Poco::Net::SocketAddress(listen)};
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(2);
  params->setMaxQueued(16);
  params->setKeepAlive(false);
  // Its own pool: scrapes never wait behind anything else, and the threads end with the server.
  pool_ = std::make_unique<Poco::ThreadPool>(1, 2);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(registry, std::move(health)),
                                                    *pool_, socket, params);
  server_->start();
}

MetricsServer::~MetricsServer() {
  server_->stopAll(true);
  server_.reset();
  pool_->joinAll();
}

}  // namespace mobisync::metrics
