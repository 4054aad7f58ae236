// SPDX-License-Identifier: Apache-2.0
// RateLimiter: at most `rate` submit_sm per any one second, per bind, slowing down on throttling.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace mobisync::plugins::smpp {

/// A token bucket kept as the send times of the last `rate` PDUs: the next PDU may go once the
/// `rate`-th most recent one is a second (plus 10 ms) old. Unlike a refilling counter this holds
/// the rate over every sliding second (a refilling bucket lets a full bucket plus a second's refill
/// through around its boundary), and it still allows a burst of `rate` after a quiet second.
/// Throttling halves the current rate (not below 1); each second without throttling raises it
/// by a tenth of the ceiling until it is back at `rate`. Owned by one session thread.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int rate);

  /// When the next PDU may be sent (now or earlier means at once).
  Clock::time_point nextAllowed() const;
  /// Records one PDU sent at `now`. Call only when now >= nextAllowed().
  void record(Clock::time_point now);
  /// The peer said ESME_RTHROTTLED or ESME_RMSGQFUL at `now`.
  void throttled(Clock::time_point now);
  /// A PDU was accepted at `now`: recover towards the ceiling, one step per second at most.
  void accepted(Clock::time_point now);

  int currentRate() const { return current_; }
  int ceiling() const { return ceiling_; }

 private:
  int ceiling_;
  int current_;
  std::vector<Clock::time_point> sent_;  // ring of the last `ceiling_` send times
  std::size_t next_ = 0;                 // where the next send time goes
  std::size_t count_ = 0;                // how many entries are filled
  Clock::time_point last_change_{};
};

}  // namespace mobisync::plugins::smpp
