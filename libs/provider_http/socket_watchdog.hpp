// SPDX-License-Identifier: Apache-2.0
// SocketWatchdog: one thread per process (per module) that shuts sockets down when their deadline
// passes, so whatever call is blocked on them (connect, send, recv, a TLS handshake) returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

namespace mobisync::provider_http {

/// Thread-safe. The thread starts with the first watch() and stops when the object is destroyed
/// (at exit, or when a plugin module holding its own copy is unloaded).
class SocketWatchdog {
 public:
  using Clock = std::chrono::steady_clock;
  using Ticket = std::uint64_t;

  /// The instance of this module.
  static SocketWatchdog& instance();

  SocketWatchdog() = default;
  ~SocketWatchdog();
  SocketWatchdog(const SocketWatchdog&) = delete;
  SocketWatchdog& operator=(const SocketWatchdog&) = delete;

  /// Shuts `fd` down (SHUT_RDWR) once `deadline` passes, unless forgotten first. The caller keeps
  /// `fd` open until forget() returns: the watchdog must never act on a number the kernel may
  /// have handed to another file.
  Ticket watch(int fd, Clock::time_point deadline);

  /// True once the deadline of `ticket` fired (its socket was shut down).
  bool fired(Ticket ticket) const;

  /// Stops watching; returns whether it fired. Once this returns the watchdog never touches the
  /// ticket's fd again, because both the shutdown and this happen under one lock.
  bool forget(Ticket ticket);

 private:
  struct Entry {
    Clock::time_point deadline;
    int fd = -1;
    bool fired = false;
  };

  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::pair<Clock::time_point, Ticket>> pending_;  // earliest first; not yet fired
  std::unordered_map<Ticket, Entry> entries_;
  Ticket next_ = 1;
  Clock::time_point sleeping_until_ = Clock::time_point::max();
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mobisync::provider_http
