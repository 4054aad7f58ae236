// SPDX-License-Identifier: Apache-2.0
// CallDeadline: one deadline for a whole outbound HTTP call (connect, TLS handshake, request,
// headers and body), where a socket timeout bounds only each read or write.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace Poco::Net {
class Socket;
}  // namespace Poco::Net

namespace mobisync::provider_http {

/// The deadline of one call, counted from construction. Sockets put under it with watch() are
/// shut down when it passes, so a peer that trickles its answer one byte at a time cannot keep
/// the call going: every blocked read or write returns. Owned by the calling thread; not
/// thread-safe. Destroying it (or release()) stops watching and leaves the socket as it is, so a
/// connection whose deadline did not fire stays usable for keep-alive.
class CallDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// `budget` <= 0 is a deadline that has already passed; budgets beyond 30 days are cut to 30
  /// days (nothing waits that long, and the clock arithmetic must not overflow).
  explicit CallDeadline(std::chrono::milliseconds budget);
  ~CallDeadline();
  CallDeadline(const CallDeadline&) = delete;
  CallDeadline& operator=(const CallDeadline&) = delete;

  /// The budget as given, for messages.
  std::chrono::milliseconds budget() const { return budget_; }

  /// Time left, never negative.
  std::chrono::microseconds remaining() const;

  /// The deadline is behind us (whether or not a socket was shut down for it).
  bool passed() const;

  /// A watched socket was shut down because the deadline passed: whatever the call read after
  /// that (an end of stream that looks like a complete body, say) is not an answer.
  bool fired() const;

  /// Puts `socket` (connected) under the deadline, replacing the one watched before (after a
  /// reconnect). If the deadline has passed already the socket is shut down at once. The socket
  /// is duplicated, so the watchdog acts on a descriptor nobody else can close or reuse.
  void watch(const Poco::Net::Socket& socket);

  /// Stops watching; returns fired(). Idempotent.
  bool release();

  /// "no complete answer within N ms": the message of a call this deadline ended.
  std::string timeoutMessage() const;

 private:
  std::chrono::milliseconds budget_;
  Clock::time_point deadline_;
  std::uint64_t ticket_ = 0;  // 0: nothing watched
  int fd_ = -1;               // our duplicate of the watched socket
  bool fired_ = false;
};

}  // namespace mobisync::provider_http
