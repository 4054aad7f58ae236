// SPDX-License-Identifier: Apache-2.0
// ProxyClient against a scripted loopback server: keep-alive, reconnects, retries and faults.
#include <doctest/doctest.h>

#include "proxy_client_fixture.hpp"

namespace mobisync::remote {

using namespace proxy_client_fixture;

TEST_SUITE("core.remote") {
  TEST_CASE("calls on one client share one keep-alive connection") {
    ScriptedServer server(okReply);
    ProxyClient client(settingsFor(local(server)));
    for (int i = 0; i < 10; ++i) {
      const Attempt a = client.call(call());
      REQUIRE(a.outcome == Outcome::Ok);
      REQUIRE(a.tokens.size() == 1);
      CHECK(a.tokens[0].ok);
    }
    CHECK(server.requests() == 10);
    CHECK(server.connections() == 1);
    CHECK(client.connectionsOpened() == 1);
  }

  TEST_CASE("the request is a keep-alive GET with the encoded parameters") {
    ScriptedServer server(okReply);
    ProxyClient client(settingsFor(local(server) + "/base/"));
    REQUIRE(client.call(call()).outcome == Outcome::Ok);
    const std::string head = server.lastHead();
    CHECK(head.rfind("GET /base/api/contacts/create?username=acme&password=", 0) == 0);
    CHECK(head.find("msisdn=61400000001&applications=contacts%3A42&name=Ann%20Lee HTTP/1.1") !=
          std::string::npos);
    CHECK(head.find("Connection: Keep-Alive") != std::string::npos);
  }

  TEST_CASE("describe shows the call without the password") {
    ScriptedServer server(okReply);
    ProxyClient client(settingsFor(local(server)));
    const std::string d = client.describe(call());
    CHECK(d.find("password=***") != std::string::npos);
    CHECK(d.find("Tr0ub4dor") == std::string::npos);
    CHECK(d.find("username=acme") != std::string::npos);
  }

  TEST_CASE("a server that closes after each answer gets a new connection per call") {
    ScriptedServer server([](const std::string&) {
      return ScriptedServer::Reply{http(200, "OK", kOkBody, "Connection: close\r\n"), true};
    });
    ProxyClient client(settingsFor(local(server)));
    for (int i = 0; i < 3; ++i) {
      REQUIRE(client.call(call()).outcome == Outcome::Ok);
    }
    CHECK(server.connections() == 3);
    CHECK(server.requests() == 3);
  }

  TEST_CASE("a keep-alive connection the server dropped silently is re-sent on a new one") {
    // The server promises keep-alive, then closes: the client only notices on its next write.
    ScriptedServer server([](const std::string&) {
      return ScriptedServer::Reply{http(200, "OK", kOkBody), true};
    });
    ProxyClient client(settingsFor(local(server)));
    for (int i = 0; i < 3; ++i) {
      REQUIRE(client.call(call()).outcome == Outcome::Ok);
    }
    CHECK(server.requests() == 3);
    CHECK(server.connections() == 3);
  }

  TEST_CASE("a body cut short is retried") {
    ScriptedServer server([](const std::string&) {
      std::string raw = http(200, "OK", kOkBody);
      raw.resize(raw.size() - 10);
      return ScriptedServer::Reply{raw, true};
    });
    ProxyClient client(settingsFor(local(server)));
    const Attempt a = client.call(call());
    CHECK(a.outcome == Outcome::Retry);
    CHECK(a.message.find("truncated") != std::string::npos);
  }

  TEST_CASE("a server that does not answer in time is retried") {
    ScriptedServer server([](const std::string&) { return ScriptedServer::Reply{"", false, true}; });
    config::ProviderSettings s = settingsFor(local(server));
    s.timeout = std::chrono::milliseconds(150);
    ProxyClient client(s);
    const Attempt a = client.call(call());
    CHECK(a.outcome == Outcome::Retry);
    CHECK(a.http_status == 0);
    CHECK(a.message.find("no complete answer within 150 ms") != std::string::npos);
  }

  TEST_CASE("a refused connection is retried") {
    Poco::UInt16 port = 0;
    {
      Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
      port = closed.address().port();
    }
    ProxyClient client(settingsFor("http://127.0.0.1:" + std::to_string(port)));
    const Attempt a = client.call(call());
    CHECK(a.outcome == Outcome::Retry);
    CHECK(a.message.find("connection refused") != std::string::npos);
    CHECK(a.message.find(kPassword) == std::string::npos);
  }

  TEST_CASE("Retry-After on a 429 reaches the attempt") {
    ScriptedServer server([](const std::string&) {
      return ScriptedServer::Reply{http(429, "Too Many Requests", "{}", "Retry-After: 3\r\n")};
    });
    ProxyClient client(settingsFor(local(server)));
    const Attempt a = client.call(call());
    CHECK(a.outcome == Outcome::Retry);
    CHECK(a.http_status == 429);
    REQUIRE(a.retry_after.has_value());
    CHECK(*a.retry_after == std::chrono::milliseconds(3000));
  }

  TEST_CASE("a provider message that echoes the password is scrubbed") {
    // A careless provider echoing the request line back must not leak it into our messages.
    ScriptedServer server([](const std::string& head) {
      const std::string line = head.substr(0, head.find("\r\n"));
      if (line.find("msisdn=1") != std::string::npos) {
        return ScriptedServer::Reply{http(401, "Unauthorized", "bad: " + line)};
      }
      return ScriptedServer::Reply{
          http(400, "Bad Request", R"({"message":"bad request )" + line + R"("})")};
    });
    ProxyClient client(settingsFor(local(server)));
    ProviderCall c = call();
    const Attempt bad = client.call(c);
    CHECK(bad.outcome == Outcome::Drop);
    CHECK_FALSE(bad.auth_failed);
    CHECK(bad.message.find("Tr0ub4dor") == std::string::npos);
    CHECK(bad.message.find("password=***") != std::string::npos);

    c.msisdn = "1";
    const Attempt auth = client.call(c);
    CHECK(auth.auth_failed);
    CHECK(auth.stop_run);
    CHECK(auth.message == kAuthFailedMessage);
  }

  TEST_CASE("a base URL that is not http(s) is refused without echoing the password") {
    config::ProviderSettings s = settingsFor("ftp://host/x?password=" + std::string(kPassword));
    try {
      ProxyClient client(s);
      FAIL("expected an exception");
    } catch (const Poco::Exception& e) {
      CHECK(e.displayText().find("not an http") != std::string::npos);
      CHECK(e.displayText().find("Tr0ub4dor") == std::string::npos);
    }
  }
}

}  // namespace mobisync::remote
