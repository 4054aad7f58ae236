// SPDX-License-Identifier: Apache-2.0
// A bound AF_UNIX datagram socket, as systemd listens on $NOTIFY_SOCKET, for the sd_notify tests.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace mobisync::test {

class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      throw std::runtime_error("cannot bind a notify socket at " + path);
    }
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  /// The next datagram, or "" when none came within `timeout_ms` (a generous deadline).
  std::string receive(int timeout_ms = 30000) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return "";
    char buffer[4096];
    const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
  }
  /// Datagrams until one starts with `prefix` (returned), or "" at the deadline.
  std::string receiveUntil(const std::string& prefix, int timeout_ms = 30000) {
    for (;;) {
      std::string d = receive(timeout_ms);
      if (d.empty() || d.rfind(prefix, 0) == 0) return d;
    }
  }
  bool pending() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace mobisync::test
