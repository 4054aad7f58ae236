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
#include <string_view>
#include <vector>

#include <Poco/Logger.h>

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
  std::string out;
  std::size_t sent = 0;

  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool wouldBlock(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

/// The end of the request head (the blank line), or npos while it is incomplete.
std::size_t headEnd(const std::string& in) {
  const auto crlf = in.find("\r\n\r\n");
  if (crlf != std::string::npos) return crlf;
  return in.find("\n\n");
}

}  // namespace

MetricsServer::MetricsServer(const std::string& listen, const Registry& registry, Health health)
    : listen_(listen), socket_(listen), registry_(registry), health_(std::move(health)) {
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

void MetricsServer::serve() {
  std::deque<Connection> connections;  // oldest first
  std::vector<pollfd> fds;
  auto respondTo = [&](Connection& c, std::string_view head) {
    c.out = httpResponse(head, registry_, health_);
    c.phase = Connection::Phase::Writing;
    c.deadline = Clock::now() + milliseconds(kWriteDeadlineMs);
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
    if (const auto end = headEnd(c.in); end != std::string::npos) {
      respondTo(c, std::string_view(c.in).substr(0, end));
    } else if (c.in.size() > kMaxHead) {
      c.out = httpError(431, "Request Header Fields Too Large", "request head too large\n");
      c.phase = Connection::Phase::Writing;
      c.deadline = Clock::now() + milliseconds(kWriteDeadlineMs);
    }
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
