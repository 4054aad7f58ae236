// SPDX-License-Identifier: Apache-2.0
// ProxyClient against a scripted loopback server (keep-alive, reconnects, faults, TLS checks) and
// against the real simulator (answers that trickle or stall past the call's deadline).
#include <doctest/doctest.h>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/TemporaryFile.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "remote/proxy_client.hpp"
#include "support/simulator_process.hpp"

namespace mobisync::remote {
namespace {

using Outcome = Attempt::Outcome;

// A self-signed certificate for "localhost" only (no IP address), valid 2000 to 2999, made
// for these loopback tests. The key is test data and protects nothing.
constexpr const char* kTestCert = R"(-----BEGIN CERTIFICATE-----
MIIBVDCB+6ADAgECAhRN4jQwm83UbkUGfWdXp65ijvc5GzAKBggqhkjOPQQDAjAU
MRIwEAYDVQQDDAlsb2NhbGhvc3QwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTEyMzEw
MDAwMDBaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABJlqh2h+s+AZN0iGYouzK2JIVt8DgCUMN/KQWRFNQoyrPoD2SOG0zMsz
9TqN+trb6KozuFrhqlyC5Dif6HO1iBujKTAnMBQGA1UdEQQNMAuCCWxvY2FsaG9z
dDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQC492mJbKuzz07V
/cQQg3qeHP4tSgNerBxM5BGXelZpUAIgOWZrb3kCFX/RPbz+SSOB84n7izKwtU0p
GGVXMBOJx3g=
-----END CERTIFICATE-----
)";
constexpr const char* kTestKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRSu3/eQwo2fPREqS
6NyDo8xDpbjUIxoeNY84mM9Ma2ChRANCAASZaodofrPgGTdIhmKLsytiSFbfA4Al
DDfykFkRTUKMqz6A9kjhtMzLM/U6jfra2+iqM7ha4apcguQ4n+hztYgb
-----END PRIVATE KEY-----
)";

constexpr const char* kPassword = "Tr0ub4dor&3-horse";

// A file that lives as long as the test, removed afterwards.
class TempTextFile {
 public:
  explicit TempTextFile(const std::string& text) {
    std::ofstream(file_.path()) << text;
  }
  std::string path() const { return file_.path(); }

 private:
  Poco::TemporaryFile file_;
};

// An HTTP/1.1 server on loopback port 0 whose answers a test scripts byte by byte, so it can
// misbehave in ways a real server library would not: truncate, hang, close silently.
class ScriptedServer {
 public:
  struct Reply {
    std::string raw;           // the bytes to send
    bool close_after = false;  // close the connection after sending
    bool hang = false;         // never answer
  };
  using Handler = std::function<Reply(const std::string& head)>;

  explicit ScriptedServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr)
      : handler_(std::move(handler)) {
    const Poco::Net::SocketAddress any("127.0.0.1", 0);
    if (tls) {
      socket_ = std::make_unique<Poco::Net::SecureServerSocket>(any, 64, tls);
    } else {
      socket_ = std::make_unique<Poco::Net::ServerSocket>(any, 64);
    }
    acceptor_ = std::thread([this] { acceptLoop(); });
  }

  ~ScriptedServer() {
    stop_ = true;
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& t : connections_) {
      t.join();
    }
  }

  Poco::UInt16 port() const { return socket_->address().port(); }
  int connections() const { return connection_count_.load(); }
  int requests() const { return request_count_.load(); }
  std::string lastHead() {
    std::lock_guard lock(mutex_);
    return last_head_;
  }

 private:
  void acceptLoop() {
    while (!stop_) {
      if (!socket_->poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) {
        continue;
      }
      try {
        Poco::Net::StreamSocket s = socket_->acceptConnection();
        ++connection_count_;
        std::lock_guard lock(mutex_);
        connections_.emplace_back([this, s]() mutable { serve(s); });
      } catch (const Poco::Exception&) {
        // A failed accept (or TLS handshake) is the client's business; keep listening.
      }
    }
  }

  void serve(Poco::Net::StreamSocket s) {
    try {
      s.setReceiveTimeout(Poco::Timespan(0, 20000));
      std::string buf;
      char chunk[2048];
      while (!stop_) {
        int n = 0;
        try {
          n = s.receiveBytes(chunk, sizeof chunk);
        } catch (const Poco::TimeoutException&) {
          continue;
        }
        if (n <= 0) {
          return;
        }
        buf.append(chunk, static_cast<std::size_t>(n));
        const auto end = buf.find("\r\n\r\n");
        if (end == std::string::npos) {
          continue;
        }
        const std::string head = buf.substr(0, end);
        buf.erase(0, end + 4);
        ++request_count_;
        {
          std::lock_guard lock(mutex_);
          last_head_ = head;
        }
        const Reply reply = handler_(head);
        if (reply.hang) {
          while (!stop_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
          return;
        }
        std::size_t sent = 0;
        while (sent < reply.raw.size()) {
          sent += static_cast<std::size_t>(
              s.sendBytes(reply.raw.data() + sent, static_cast<int>(reply.raw.size() - sent)));
        }
        if (reply.close_after) {
          s.close();
          return;
        }
      }
    } catch (const Poco::Exception&) {
      // The client went away or refused our certificate: that is what some tests want.
    }
  }

  Handler handler_;
  std::unique_ptr<Poco::Net::ServerSocket> socket_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connection_count_{0};
  std::atomic<int> request_count_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::string last_head_;
};

std::string http(int status, const std::string& reason, const std::string& body,
                 const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

const std::string kOkBody = R"({"status":"ok","contacts:42":"ok"})";

ScriptedServer::Reply okReply(const std::string&) { return {http(200, "OK", kOkBody)}; }

config::ProviderSettings settingsFor(const std::string& base_url) {
  config::ProviderSettings s;
  s.base_url = base_url;
  s.username = "acme";
  s.password = kPassword;
  s.timeout = std::chrono::milliseconds(2000);
  return s;
}

std::string local(const ScriptedServer& server, const char* scheme = "http",
                  const char* host = "127.0.0.1") {
  return std::string(scheme) + "://" + host + ":" + std::to_string(server.port());
}

ProviderCall call() {
  ProviderCall c;
  c.msisdn = "61400000001";
  c.applications = {"contacts:42"};
  c.name = "Ann Lee";
  return c;
}

// Slack over a call's deadline for the watchdog to wake and the attempt to be classified, on a
// machine shared with other builds.
constexpr auto kSlack = std::chrono::milliseconds(2000);

struct TimedAttempt {
  Attempt attempt;
  std::chrono::milliseconds took{};
};

TimedAttempt timedCall(ProxyClient& client) {
  const auto start = std::chrono::steady_clock::now();
  TimedAttempt t;
  t.attempt = client.call(call());
  t.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return t;
}

config::ProviderSettings settingsFor(test::SimulatorProcess& sim, std::chrono::milliseconds timeout) {
  config::ProviderSettings s = settingsFor(sim.baseUrl());
  s.username = "demo";
  s.password = "demo-secret";
  s.timeout = timeout;
  return s;
}

Poco::Net::Context::Ptr serverTls(const TempTextFile& cert, const TempTextFile& key) {
  return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key.path(), cert.path(), "",
                                Poco::Net::Context::VERIFY_NONE);
}

}  // namespace

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

  TEST_CASE("https verifies the server certificate and its host name") {
    const TempTextFile cert(kTestCert);
    const TempTextFile key(kTestKey);
    ScriptedServer server(okReply, serverTls(cert, key));

    SUBCASE("trusted through ca_file and named right: ok, on one connection") {
      config::ProviderSettings s = settingsFor(local(server, "https", "localhost"));
      s.ca_file = cert.path();
      ProxyClient client(s);
      for (int i = 0; i < 3; ++i) {
        const Attempt a = client.call(call());
        CAPTURE(a.message);
        REQUIRE(a.outcome == Outcome::Ok);
      }
      CHECK(client.connectionsOpened() == 1);
    }
    SUBCASE("not trusted: dropped and the run must stop") {
      ProxyClient client(settingsFor(local(server, "https", "localhost")));
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.stop_run);
      CHECK_FALSE(a.auth_failed);
      CHECK(a.message.find("certificate") != std::string::npos);
      CHECK(server.requests() == 0);  // the password never went to an unverified peer
    }
    SUBCASE("trusted but issued for another name: dropped") {
      config::ProviderSettings s = settingsFor(local(server, "https", "127.0.0.1"));
      s.ca_file = cert.path();
      ProxyClient client(s);
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.stop_run);
      CHECK(server.requests() == 0);
    }
    SUBCASE("verify_tls = false accepts it") {
      config::ProviderSettings s = settingsFor(local(server, "https", "127.0.0.1"));
      s.verify_tls = false;
      ProxyClient client(s);
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Ok);
    }
  }

  TEST_CASE("an unreadable ca_file is a clear error") {
    config::ProviderSettings s = settingsFor("https://localhost:1");
    s.ca_file = "/nonexistent/ca.pem";
    try {
      (void)makeTlsContext(s);
      FAIL("expected an exception");
    } catch (const Poco::Exception& e) {
      CHECK(e.displayText().find("ca_file /nonexistent/ca.pem") != std::string::npos);
    }
  }
}

// Against the real simulator process: labelled integration, so the sanitizer run of the unit
// tests (which builds no simulator) leaves them to the main run.
TEST_SUITE("core.remote.integration") {
  TEST_CASE("an answer trickled a byte at a time is a Retry at the call's deadline") {
    // The provider of issue 17: 200 without Content-Length, one byte every 0.5 s. Each read
    // arrives well within timeout_ms, so only a deadline for the whole call ends it.
    test::SimulatorOptions options;
    options.extra_args = {"--trickle-rate", "1", "--trickle-ms", "500"};
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    for (int i = 0; i < 2; ++i) {
      const TimedAttempt t = timedCall(client);
      CAPTURE(t.attempt.message);
      CHECK(t.attempt.outcome == Outcome::Retry);
      CHECK(t.attempt.tokens.empty());
      CHECK(t.attempt.message.find("no complete answer within 1000 ms") != std::string::npos);
      CHECK(t.took >= std::chrono::milliseconds(900));
      CHECK(t.took < std::chrono::milliseconds(1000) + kSlack);
    }
    // The trickle stopped, the same client gets answers again, on a new connection.
    sim.setFaults("trickle_rate=0");
    CHECK(client.call(call()).outcome == Outcome::Ok);
  }

  TEST_CASE("a body that stalls midway is a Retry at the call's deadline") {
    test::SimulatorOptions options;
    options.extra_args = {"--stall-body-rate", "1", "--stall-body-ms", "10000"};
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    const TimedAttempt t = timedCall(client);
    CAPTURE(t.attempt.message);
    CHECK(t.attempt.outcome == Outcome::Retry);
    CHECK(t.attempt.message.find("no complete answer within 1000 ms") != std::string::npos);
    CHECK(t.took < std::chrono::milliseconds(1000) + kSlack);
  }

  TEST_CASE("a call slower than its deadline only because the answer is late is a Retry too") {
    test::SimulatorOptions options;
    options.latency_ms = 1500;
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(500)));
    const TimedAttempt t = timedCall(client);
    CHECK(t.attempt.outcome == Outcome::Retry);
    CHECK(t.attempt.message.find("no complete answer within 500 ms") != std::string::npos);
    CHECK(t.took < std::chrono::milliseconds(500) + kSlack);
  }

  TEST_CASE("calls within their deadline keep sharing one keep-alive connection") {
    test::SimulatorProcess sim;
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    for (int i = 0; i < 20; ++i) {
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      REQUIRE(a.outcome == Outcome::Ok);
    }
    // Twice the deadline has passed since the first call: a deadline that did not fire leaves
    // the connection as it was.
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    CHECK(client.call(call()).outcome == Outcome::Ok);
    CHECK(client.connectionsOpened() == 1);
    CHECK(sim.endpointCount("/api/contacts/create", "200") == 21);
  }
}

}  // namespace mobisync::remote
