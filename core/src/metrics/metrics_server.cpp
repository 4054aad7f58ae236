// SPDX-License-Identifier: Apache-2.0
// MetricsServer: one poll() loop over non-blocking sockets. Poco's HTTPServer gave each
// connection a pool thread from the accept on, so two clients that connected and sent nothing
// held both threads for its 60 s receive timeout and every scrape waited behind them.
#include "metrics/metrics_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <exception>
#include <optional>
#include <string_view>
#include <vector>

#include <Poco/Logger.h>

#include "metrics/http_request.hpp"
#include "metrics/http_response.hpp"

namespace mobisync::metrics {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// A request head larger than this is answered 431 and closed: ours are a line and a few
/// headers.
constexpr std::size_t kMaxHead = 8192;
/// After the answer is sent, how long the connection may take to close its side.
constexpr milliseconds kDrain{1000};
/// The longest poll() sleeps when no deadline is nearer.
constexpr milliseconds kIdlePoll{1000};

Poco::Logger& log() { return Poco::Logger::get("mobisync.metrics"); }

struct Connection {
  enum class Phase { Reading, Writing, Draining };
  int fd = -1;
  Phase phase = Phase::Reading;
  Clock::time_point deadline;
  std::string in;
  /// Once the head is complete: the request, and where its body starts in `in`.
  std::optional<RequestHead> request;
  std::size_t body_at = 0;
  std::string out;
  std::size_t sent = 0;

  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool wouldBlock(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

constexpr std::string_view kPlain = "text/plain; charset=utf-8";

/// Why the body of `r` cannot be read, as a whole response; empty when it can.
std::string bodyRefusal(const RequestHead& r) {
  if (r.has_transfer_encoding) return httpReply(411, kPlain, "send a Content-Length\n");
  if (r.bad_length) return httpReply(400, kPlain, "bad Content-Length\n");
  if (!r.content_length) {
    return r.method == "POST" ? httpReply(411, kPlain, "send a Content-Length\n") : std::string();
  }
  if (*r.content_length > MetricsServer::kMaxBodyBytes) {
    return httpReply(413, kPlain,
                     "body over " + std::to_string(MetricsServer::kMaxBodyBytes) + " bytes\n");
  }
  return {};
}

}  // namespace

MetricsServer::MetricsServer(const std::string& listen, const Registry& registry, Health health,
                             PostHandler post, Health ready)
    : listen_(listen),
      socket_(listen),
      registry_(registry),
      health_(std::move(health)),
      post_(std::move(post)),
      ready_(std::move(ready)) {
  if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw ListenError("metrics listener " + listen + ": cannot create its wake-up pipe: " +
                      std::strerror(errno));
  }
  thread_ = std::thread([this] { serve(); });
}

MetricsServer::~MetricsServer() {
  const char stop = 1;
  // The pipe is empty and non-blocking: one byte always fits.
  [[maybe_unused]] const auto n = ::write(wake_[1], &stop, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string MetricsServer::answer(const RequestHead& head, std::string_view body) {
  if (head.method != "POST" || !post_) return httpResponse(head, registry_, health_, ready_);
  try {
    const Reply r = post_(head.method, head.path, body);
    return httpReply(r.status, r.content_type, r.body);
  } catch (const std::exception& e) {
    log().error("metrics listener: POST handler: %s", std::string(e.what()));
    return httpReply(500, kPlain, "internal error; see the log\n");
  }
}

void MetricsServer::serve() {
  std::deque<Connection> connections;  // oldest first
  std::vector<pollfd> fds;
  auto respond = [&](Connection& c, std::string out) {
    c.out = std::move(out);
    c.phase = Connection::Phase::Writing;
    c.deadline = Clock::now() + milliseconds(kWriteDeadlineMs);
  };
  // Called after each read: answers once the head, then the body, is complete. The deadline set
  // at the connect still runs, so a body trickled in holds the connection no longer than a head.
  auto readRequest = [&](Connection& c) {
    if (!c.request) {
      const auto start = bodyStart(c.in);
      if (start == std::string::npos) {
        if (c.in.size() > kMaxHead) {
          respond(c, httpError(431, "Request Header Fields Too Large", "request head too large\n"));
        }
        return;
      }
      c.request = parseRequestHead(std::string_view(c.in).substr(0, start));
      if (!c.request) return respond(c, httpError(400, "Bad Request", "bad request line\n"));
      if (std::string refusal = bodyRefusal(*c.request); !refusal.empty()) {
        return respond(c, std::move(refusal));
      }
      c.body_at = start;
    }
    const std::size_t length = c.request->content_length.value_or(0);
    if (c.in.size() - c.body_at < length) return;
    respond(c, answer(*c.request, std::string_view(c.in).substr(c.body_at, length)));
  };
  auto step = [&](Connection& c) {
    char buffer[4096];
    if (c.phase == Connection::Phase::Writing) {
      const auto n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (!wouldBlock(errno)) c.close();
        return;
      }
      c.sent += static_cast<std::size_t>(n);
      if (c.sent < c.out.size()) return;
      // Closing at once with unread bytes from the client would reset the connection and could
      // discard the answer in flight; wait briefly for the client to close its side.
      ::shutdown(c.fd, SHUT_WR);
      c.phase = Connection::Phase::Draining;
      c.deadline = std::min(c.deadline, Clock::now() + kDrain);
      return;
    }
    const auto n = ::recv(c.fd, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && !wouldBlock(errno))) {
      c.close();
      return;
    }
    if (n < 0 || c.phase == Connection::Phase::Draining) return;
    c.in.append(buffer, static_cast<std::size_t>(n));
    readRequest(c);
  };
  auto acceptAll = [&] {
    for (;;) {
      const int fd = ::accept4(socket_.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE) {
          // Out of descriptors: make room rather than spin on a listener that stays readable.
          if (connections.empty()) return false;
          connections.front().close();
          connections.pop_front();
          continue;
        }
        return true;
      }
      if (connections.size() >= kMaxConnections) {
        connections.front().close();
        connections.pop_front();
      }
      Connection c;
      c.fd = fd;
      c.deadline = Clock::now() + milliseconds(kRequestDeadlineMs);
      connections.push_back(std::move(c));
    }
  };

  for (;;) {
    fds.clear();
    fds.push_back({wake_[0], POLLIN, 0});
    fds.push_back({socket_.fd(), POLLIN, 0});
    auto now = Clock::now();
    auto wake_at = now + kIdlePoll;
    for (const auto& c : connections) {
      const short events = c.phase == Connection::Phase::Writing ? POLLOUT : POLLIN;
      fds.push_back({c.fd, events, 0});
      wake_at = std::min(wake_at, c.deadline);
    }
    const auto wait = std::chrono::duration_cast<milliseconds>(wake_at - now).count() + 1;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait, 0)));
    if (ready < 0 && errno != EINTR) {
      log().error("metrics listener %s: poll: %s", listen_, std::string(std::strerror(errno)));
      std::this_thread::sleep_for(kIdlePoll);
      continue;
    }
    if (ready > 0 && fds[0].revents != 0) break;
    if (ready > 0) {
      for (std::size_t i = 0; i < connections.size(); ++i) {
        if (fds[i + 2].revents != 0) step(connections[i]);
      }
    }
    now = Clock::now();
    for (auto& c : connections) {
      if (c.fd >= 0 && now >= c.deadline) c.close();
    }
    std::erase_if(connections, [](const Connection& c) { return c.fd < 0; });
    if (ready > 0 && fds[1].revents != 0 && !acceptAll()) std::this_thread::sleep_for(kIdlePoll);
  }
  for (auto& c : connections) c.close();
}

}  // namespace mobisync::metrics
