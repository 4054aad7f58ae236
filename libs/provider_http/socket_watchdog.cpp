// SPDX-License-Identifier: Apache-2.0
// SocketWatchdog: shuts sockets down at their deadline from one lazily started thread.
#include "provider_http/socket_watchdog.hpp"

#include <pthread.h>
#include <sys/socket.h>

namespace mobisync::provider_http {

SocketWatchdog& SocketWatchdog::instance() {
  // A function-local static: its destructor runs at exit, and in a plugin module at dlclose,
  // before the module's code is unmapped, so the thread never outlives its code.
  static SocketWatchdog watchdog;
  return watchdog;
}

SocketWatchdog::~SocketWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

SocketWatchdog::Ticket SocketWatchdog::watch(int fd, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  const Ticket ticket = next_++;
  entries_.emplace(ticket, Entry{deadline, fd, false});
  pending_.emplace(deadline, ticket);
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { run(); });
  } else if (deadline < sleeping_until_) {
    // Calls share one timeout, so a new deadline is almost always the latest and the thread
    // sleeps on; it needs waking only when it waits for nothing or for something later.
    wake_.notify_one();
  }
  return ticket;
}

bool SocketWatchdog::fired(Ticket ticket) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(ticket);
  return it != entries_.end() && it->second.fired;
}

bool SocketWatchdog::forget(Ticket ticket) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(ticket);
  if (it == entries_.end()) {
    return false;
  }
  const bool fired = it->second.fired;
  if (!fired) {
    pending_.erase({it->second.deadline, ticket});
  }
  entries_.erase(it);
  // No wake-up: a thread sleeping until this deadline finds nothing due and sleeps again.
  return fired;
}

void SocketWatchdog::run() {
  pthread_setname_np(pthread_self(), "mobisync-deadln");
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const Clock::time_point now = Clock::now();
    while (!pending_.empty() && pending_.begin()->first <= now) {
      const Ticket ticket = pending_.begin()->second;
      pending_.erase(pending_.begin());
      Entry& entry = entries_.at(ticket);
      entry.fired = true;
      // Under the lock, so forget() cannot return (and the owner close the fd) in between. The
      // blocked reader or writer sees end of stream or EPIPE and returns at once.
      ::shutdown(entry.fd, SHUT_RDWR);
    }
    sleeping_until_ = pending_.empty() ? Clock::time_point::max() : pending_.begin()->first;
    if (pending_.empty()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, sleeping_until_);
    }
  }
}

}  // namespace mobisync::provider_http
