// SPDX-License-Identifier: Apache-2.0
// SystemdNotify: one AF_UNIX datagram per state change, as sd_notify(3) sends it.
#include "daemon/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <cstddef>
#include <utility>

#include <Poco/Logger.h>

namespace mobisync::daemon {

namespace {

std::string environment(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

long long monotonicMicros() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace

SystemdNotify::SystemdNotify() : socket_(environment("NOTIFY_SOCKET")) {
  const std::string usec = environment("WATCHDOG_USEC");
  const std::string pid = environment("WATCHDOG_PID");
  if (usec.empty() || (!pid.empty() && pid != std::to_string(::getpid()))) return;
  char* end = nullptr;
  const unsigned long long us = std::strtoull(usec.c_str(), &end, 10);
  if (end == usec.c_str() || *end != '\0' || us == 0) return;
  watchdog_ = std::chrono::milliseconds(std::max<unsigned long long>(us / 2000, 1));
}

bool SystemdNotify::send(std::string_view state) {
  if (socket_.empty()) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // "@name" is Linux's abstract namespace: a leading NUL byte, no terminator.
  if (socket_.size() >= sizeof address.sun_path || (socket_[0] != '/' && socket_[0] != '@')) {
    if (!std::exchange(warned_, true)) {
      Poco::Logger::get("mobisync.daemon")
          .warning("NOTIFY_SOCKET is not a socket path; systemd is not told how the daemon is");
    }
    return false;
  }
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  if (socket_[0] == '@') address.sun_path[0] = '\0';
  const auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  bool sent = false;
  if (fd >= 0) {
    sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&address), length) ==
           static_cast<ssize_t>(state.size());
  }
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!sent && !std::exchange(warned_, true)) {
    Poco::Logger::get("mobisync.daemon")
        .warning("cannot notify systemd at %s: %s", socket_, std::string(std::strerror(err)));
  }
  return sent;
}

void SystemdNotify::ready(std::string_view status) {
  send("READY=1\nSTATUS=" + std::string(status));
}

void SystemdNotify::reloading() {
  // Type=notify-reload wants the monotonic time with RELOADING=1; older managers ignore it.
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonicMicros()));
}

void SystemdNotify::stopping() { send("STOPPING=1"); }

void SystemdNotify::watchdogIfDue() {
  if (!watchdog_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ < *watchdog_) return;
  last_ping_ = now;
  send("WATCHDOG=1");
}

}  // namespace mobisync::daemon
