// SPDX-License-Identifier: Apache-2.0
// ProxyClient tests' scripted loopback server, test certificate and call helpers.
#pragma once

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
namespace proxy_client_fixture {

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

inline std::string http(int status, const std::string& reason, const std::string& body,
                        const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

const std::string kOkBody = R"({"status":"ok","contacts:42":"ok"})";

inline ScriptedServer::Reply okReply(const std::string&) { return {http(200, "OK", kOkBody)}; }

inline config::ProviderSettings settingsFor(const std::string& base_url) {
  config::ProviderSettings s;
  s.base_url = base_url;
  s.username = "acme";
  s.password = kPassword;
  s.timeout = std::chrono::milliseconds(2000);
  return s;
}

inline std::string local(const ScriptedServer& server, const char* scheme = "http",
                         const char* host = "127.0.0.1") {
  return std::string(scheme) + "://" + host + ":" + std::to_string(server.port());
}

inline ProviderCall call() {
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

inline TimedAttempt timedCall(ProxyClient& client) {
  const auto start = std::chrono::steady_clock::now();
  TimedAttempt t;
  t.attempt = client.call(call());
  t.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return t;
}

inline config::ProviderSettings settingsFor(test::SimulatorProcess& sim,
                                            std::chrono::milliseconds timeout) {
  config::ProviderSettings s = settingsFor(sim.baseUrl());
  s.username = "demo";
  s.password = "demo-secret";
  s.timeout = timeout;
  return s;
}

inline Poco::Net::Context::Ptr serverTls(const TempTextFile& cert, const TempTextFile& key) {
  return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key.path(), cert.path(), "",
                                Poco::Net::Context::VERIFY_NONE);
}

}  // namespace proxy_client_fixture

}  // namespace mobisync::remote
