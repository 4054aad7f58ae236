// SPDX-License-Identifier: Apache-2.0
// CallDeadline: registers the call's socket with the watchdog and remembers whether it fired.
#include "provider_http/call_deadline.hpp"

#include <Poco/Net/Socket.h>
#include <Poco/Net/SocketImpl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "provider_http/socket_watchdog.hpp"

namespace mobisync::provider_http {
namespace {

constexpr std::chrono::milliseconds kLongestBudget = std::chrono::hours(24 * 30);

}  // namespace

CallDeadline::CallDeadline(std::chrono::milliseconds budget)
    : budget_(budget),
      deadline_(Clock::now() + std::clamp(budget, std::chrono::milliseconds(0), kLongestBudget)) {}

CallDeadline::~CallDeadline() { release(); }

std::chrono::microseconds CallDeadline::remaining() const {
  const auto left = deadline_ - Clock::now();
  return left <= Clock::duration::zero()
             ? std::chrono::microseconds(0)
             : std::chrono::duration_cast<std::chrono::microseconds>(left);
}

bool CallDeadline::passed() const { return fired_ || Clock::now() >= deadline_; }

bool CallDeadline::fired() const {
  return fired_ || (ticket_ != 0 && SocketWatchdog::instance().fired(ticket_));
}

void CallDeadline::watch(const Poco::Net::Socket& socket) {
  release();
  const Poco::Net::SocketImpl* impl = socket.impl();
  const int fd = impl != nullptr ? static_cast<int>(impl->sockfd()) : -1;
  if (fd < 0) {
    return;
  }
  // Poco may close its descriptor at any time (on an error, before a reconnect); ours keeps the
  // socket's number ours until release(), and shutdown() on it reaches the same connection.
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) {
    // Out of descriptors: the per-read timeouts still bound the call, if less tightly.
    return;
  }
  fd_ = own;
  if (Clock::now() >= deadline_) {
    ::shutdown(fd_, SHUT_RDWR);
    fired_ = true;
    return;
  }
  ticket_ = SocketWatchdog::instance().watch(fd_, deadline_);
}

bool CallDeadline::release() {
  if (ticket_ != 0) {
    fired_ = SocketWatchdog::instance().forget(ticket_) || fired_;
    ticket_ = 0;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  return fired_;
}

std::string CallDeadline::timeoutMessage() const {
  return "no complete answer within " + std::to_string(budget_.count()) + " ms";
}

}  // namespace mobisync::provider_http
