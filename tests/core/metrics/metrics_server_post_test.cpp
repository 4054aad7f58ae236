// SPDX-License-Identifier: Apache-2.0
// The metrics listener's POST routes against the real listener: bodies reach the handler whole,
// oversized or unframed bodies are refused before it, and a client that trickles its body holds
// nothing (a scrape meanwhile is answered, the trickler is closed at the request deadline).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "metrics/metrics_server.hpp"
#include "metrics/registry.hpp"

using mobisync::metrics::MetricsServer;
using mobisync::metrics::Registry;

namespace {

class Client {
 public:
  explicit Client(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~Client() { ::close(fd_); }
  void send(const std::string& s) { (void)::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
  /// Everything until the server closes, or what came within `limit`.
  std::string readAll(std::chrono::milliseconds limit = std::chrono::milliseconds(20000)) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return out;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
      char b[4096];
      const auto n = ::recv(fd_, b, sizeof b, 0);
      if (n <= 0) return out;
      out.append(b, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
};

std::string post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int statusOf(const std::string& response) {
  return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
}

std::string bodyOf(const std::string& response) {
  const auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : response.substr(at + 4);
}

/// A handler that records what it was given.
struct Recorder {
  std::mutex mutex;
  std::string path, body;
  std::atomic<int> calls{0};
  MetricsServer::PostHandler handler() {
    return [this](std::string_view method, std::string_view p, std::string_view b) {
      std::lock_guard lock(mutex);
      ++calls;
      path = p;
      body = b;
      return MetricsServer::Reply{method == "POST" ? 201 : 500, "application/json", "{\"ok\":1}"};
    };
  }
};

}  // namespace

TEST_SUITE("core.metrics") {
  TEST_CASE("a POST body reaches the handler whole, even in small pieces") {
    Registry registry;
    Recorder rec;
    MetricsServer server("127.0.0.1:0", registry, {}, rec.handler());
    const std::string body = "{\"status\":\"Delivered\",\"text\":\"" + std::string(3000, 'x') + "\"}";
    Client c(server.port());
    const std::string request = post("/hooks/abc?x=1", body);
    for (std::size_t at = 0; at < request.size(); at += 700) c.send(request.substr(at, 700));
    const std::string response = c.readAll();
    CHECK(statusOf(response) == 201);
    CHECK(bodyOf(response) == "{\"ok\":1}");
    CHECK(response.find("Content-Type: application/json") != std::string::npos);
    std::lock_guard lock(rec.mutex);
    CHECK(rec.path == "/hooks/abc");
    CHECK(rec.body == body);
  }

  TEST_CASE("bodies over the bound, unframed or chunked are refused before the handler") {
    Registry registry;
    Recorder rec;
    MetricsServer server("127.0.0.1:0", registry, {}, rec.handler());
    {
      Client c(server.port());
      c.send("POST /h HTTP/1.1\r\nContent-Length: " +
             std::to_string(MetricsServer::kMaxBodyBytes + 1) + "\r\n\r\n");
      CHECK(statusOf(c.readAll()) == 413);
    }
    {
      Client c(server.port());  // exactly the bound is fine
      c.send(post("/h", std::string(MetricsServer::kMaxBodyBytes, 'a')));
      CHECK(statusOf(c.readAll()) == 201);
    }
    {
      Client c(server.port());
      c.send("POST /h HTTP/1.1\r\nHost: x\r\n\r\n");
      CHECK(statusOf(c.readAll()) == 411);
    }
    {
      Client c(server.port());
      c.send("POST /h HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      CHECK(statusOf(c.readAll()) == 411);
    }
    {
      Client c(server.port());
      c.send("POST /h HTTP/1.1\r\nContent-Length: 1x\r\n\r\n");
      CHECK(statusOf(c.readAll()) == 400);
    }
    CHECK(rec.calls.load() == 1);
  }

  TEST_CASE("without a handler a POST is 405, a handler that throws gives 500") {
    Registry registry;
    {
      MetricsServer server("127.0.0.1:0", registry, {});
      Client c(server.port());
      c.send(post("/h", "{}"));
      CHECK(statusOf(c.readAll()) == 405);
    }
    MetricsServer server("127.0.0.1:0", registry, {},
                         [](std::string_view, std::string_view, std::string_view)
                             -> MetricsServer::Reply { throw std::runtime_error("boom"); });
    Client c(server.port());
    c.send(post("/h", "{}"));
    const std::string response = c.readAll();
    CHECK(statusOf(response) == 500);
    CHECK(bodyOf(response).find("boom") == std::string::npos);
  }

  TEST_CASE("a client trickling its body holds nothing and is closed at the deadline") {
    Registry registry;
    registry.describe("t_up", mobisync::metrics::Type::Gauge, "Up");
    Recorder rec;
    MetricsServer server("127.0.0.1:0", registry, {}, rec.handler());
    Client slow(server.port());
    slow.send("POST /h HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\":");
    {
      Client scrape(server.port());
      scrape.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      const std::string response = scrape.readAll(std::chrono::milliseconds(1500));
      CHECK(statusOf(response) == 200);
      CHECK(response.find("t_up") != std::string::npos);
    }
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {  // keeps trickling past the deadline
      slow.send("1");
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    const std::string response = slow.readAll();
    const auto held = std::chrono::steady_clock::now() - start;
    CHECK(response.empty());  // closed, not answered
    CHECK(held < std::chrono::seconds(15));
    CHECK(rec.calls.load() == 0);
  }
}
