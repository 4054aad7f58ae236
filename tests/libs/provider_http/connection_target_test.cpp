// SPDX-License-Identifier: Apache-2.0
// What Connection puts on the request line: the base URL's path once, then the caller's target
// (relative to the base URL), and "/" where both are empty; describe() names the same place.
#include <doctest/doctest.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "provider_http/connection.hpp"

namespace mobisync::provider_http {
namespace {

/// A loopback HTTP server that answers 200 "ok" and records every request URI it received.
class RecordingServer {
 public:
  /// @throws Poco::Net::NetException when `host` cannot be bound (no IPv6 on this machine).
  explicit RecordingServer(const std::string& host = "127.0.0.1")
      : host_(host),
        socket_(Poco::Net::SocketAddress(host, 0)),
        server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~RecordingServer() { server_.stopAll(true); }

  std::string url() const {
    const bool ipv6 = host_.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" +
           std::to_string(socket_.address().port());
  }
  std::string origin() const { return url(); }

  std::vector<std::string> uris() {
    const std::lock_guard lock(mutex_);
    return uris_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(RecordingServer& owner) : owner_(owner) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      {
        const std::lock_guard lock(owner_.mutex_);
        owner_.uris_.push_back(request.getURI());
      }
      response.setContentLength(2);
      response.send() << "ok";
    }

   private:
    RecordingServer& owner_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(RecordingServer& owner) : owner_(owner) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(owner_);
    }

   private:
    RecordingServer& owner_;
  };

  std::string host_;
  std::mutex mutex_;
  std::vector<std::string> uris_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

/// The URI the server saw for `target` sent through a Connection to `base_url`.
std::string sent(RecordingServer& server, const std::string& base_url, const std::string& target,
                 const std::string& method = "GET") {
  Connection connection(base_url, ConnectionOptions{});
  Request request;
  request.method = method;
  request.target = target;
  const Exchange x = connection.exchange(request);
  REQUIRE_MESSAGE(x.answered, x.failure);
  CHECK(x.status == 200);
  const auto uris = server.uris();
  REQUIRE(!uris.empty());
  return uris.back();
}

}  // namespace

TEST_SUITE("libs.provider_http") {
  TEST_CASE("a target goes below the base URL's path exactly once") {
    RecordingServer server;
    CHECK(sent(server, server.url(), "/send/single") == "/send/single");
    CHECK(sent(server, server.url() + "/", "/send/single") == "/send/single");
    CHECK(sent(server, server.url() + "/gw", "/send/single") == "/gw/send/single");
    CHECK(sent(server, server.url() + "/gw/", "/addressbook/optout?startDate=2026-01-01") ==
          "/gw/addressbook/optout?startDate=2026-01-01");
    CHECK(sent(server, server.url() + "/a/b", "/webhooks/receipt") == "/a/b/webhooks/receipt");
  }

  TEST_CASE("an empty or query-only target asks for the base URL itself") {
    RecordingServer server;
    // The Simple API: its URL is the whole endpoint, the target only a query or nothing.
    CHECK(sent(server, server.url() + "/gateway/api/simple/MT", "?USER_NAME=u") ==
          "/gateway/api/simple/MT?USER_NAME=u");
    CHECK(sent(server, server.url() + "/gateway/api/simple/MT", "", "POST") ==
          "/gateway/api/simple/MT");
    CHECK(sent(server, server.url(), "?USER_NAME=u") == "/?USER_NAME=u");
    CHECK(sent(server, server.url(), "", "POST") == "/");
  }

  TEST_CASE("a base path is sent percent-encoded as the URL spells it") {
    RecordingServer server;
    CHECK(sent(server, server.url() + "/my%20gw", "/send/single") == "/my%20gw/send/single");
  }

  TEST_CASE("an IPv6 literal keeps its brackets in the origin and reaches its server") {
    CHECK(originOf(Poco::URI("http://[::1]:8080/gw")) == "http://[::1]:8080");
    CHECK(originOf(Poco::URI("HTTPS://[2001:db8::7]/")) == "https://[2001:db8::7]:443");
    CHECK(originOf(Poco::URI("http://127.0.0.1:9/x")) == "http://127.0.0.1:9");
    CHECK(originOf(Poco::URI("https://api.example.com")) == "https://api.example.com:443");
    std::unique_ptr<RecordingServer> server;
    try {
      server = std::make_unique<RecordingServer>("::1");
    } catch (const Poco::Exception& e) {
      // A machine without IPv6 loopback (some containers) cannot run the second half.
      MESSAGE("no IPv6 loopback here, not sending: " << e.displayText());
      return;
    }
    CHECK(sent(*server, server->url() + "/gw", "/send/single") == "/gw/send/single");
    const Connection gw(server->url() + "/gw", ConnectionOptions{});
    CHECK(gw.describe("/send/single") == server->url() + "/gw/send/single");
  }

  TEST_CASE("describe names the base URL and the target without its query") {
    RecordingServer server;
    const Connection gw(server.url() + "/gw/", ConnectionOptions{});
    CHECK(gw.describe("/addressbook/optout?startDate=x") ==
          server.origin() + "/gw/addressbook/optout");
    const Connection root(server.url(), ConnectionOptions{});
    CHECK(root.describe("?USER_NAME=u&PASSWORD=secret") == server.origin() + "/");
    CHECK(root.describe("/send/batch") == server.origin() + "/send/batch");
  }
}

}  // namespace mobisync::provider_http
