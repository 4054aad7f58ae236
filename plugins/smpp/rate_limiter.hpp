// SPDX-License-Identifier: Apache-2.0
// RateLimiter: at most `rate` submit_sm per any one second, per bind, as the SMSC counts them on
// arrival; after ESME_RTHROTTLED one back-off, then additive recovery.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace mobisync::plugins::smpp {

/// Keeps the last `rate` submit_sm of a bind, each with when it left and when its answer came
/// back. The next submit_sm may leave once the `rate`-th most recent one was ANSWERED more than
/// a second (plus kMargin) ago. The SMSC counted that one on arrival, and arrival lies between
/// our send and our reading of its answer, whatever the network, the SMSC's event loop or our
/// own scheduling did in between; so the two arrivals are more than a second apart however large
/// the jitter, and no sliding second on the SMSC's side holds more than `rate`. The price is one
/// round trip per `rate` submits (about 0.2 ms on loopback) plus kMargin, not a fixed allowance
/// for the worst jitter (which a loaded machine pushes past 10 ms). A submit not yet answered
/// holds the slot until its answer or the loss of the connection (answered() either way).
///
/// Throttling (ESME_RTHROTTLED, ESME_RMSGQFUL) halves the current rate once per episode: the
/// answers to submits that were already in flight when the back-off began are the same episode
/// and change nothing; only a throttle of a submit sent after it halves again (the SMSC's limit
/// is lower still). Each second with acceptances and no new episode adds a tenth of the ceiling
/// until it is back at `rate`. Owned by one session thread.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  /// The submit_sm's sequence number: names it until its answer.
  using Sequence = std::uint32_t;

  /// Beyond the second: an SMSC whose clock has millisecond steps and counts both ends of the
  /// second still sees two arrivals 1,001 ms or more apart as different seconds.
  static constexpr std::chrono::milliseconds kMargin{2};

  explicit RateLimiter(int rate);

  /// When the next PDU may be sent (now or earlier means at once; max() while the slot it waits
  /// for is unanswered).
  Clock::time_point nextAllowed() const;
  /// Records the submit_sm `sequence` sent at `now`. Call only when now >= nextAllowed().
  void record(Sequence sequence, Clock::time_point now);
  /// The answer to `sequence` was read at `now` (or its connection was lost then).
  void answered(Sequence sequence, Clock::time_point now);
  /// `sequence` was answered at `now` with ESME_RTHROTTLED or ESME_RMSGQFUL. True when this
  /// begins a new back-off (pause the bind); false when it belongs to the one already taken.
  bool throttled(Sequence sequence, Clock::time_point now);
  /// `sequence` was accepted at `now`: recover towards the ceiling, one step a second at most.
  void accepted(Sequence sequence, Clock::time_point now);

  int currentRate() const { return current_; }
  int ceiling() const { return ceiling_; }

 private:
  using Ticket = std::uint64_t;  // the n-th submit recorded, from 0
  struct Sent {
    Ticket ticket = 0;
    Sequence sequence = 0;
    Clock::time_point answered = Clock::time_point::max();  // max(): no answer yet
  };

  int ceiling_;
  int current_;
  std::vector<Sent> ring_;  // the last `ceiling_` submits; ticket t sits at t % size
  std::unordered_map<Sequence, Ticket> unanswered_;
  Ticket next_ticket_ = 0;
  Ticket episode_from_ = 0;  // throttles of tickets below this belong to the last back-off
  Clock::time_point last_change_{};
};

}  // namespace mobisync::plugins::smpp
