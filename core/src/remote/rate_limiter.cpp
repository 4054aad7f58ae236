// SPDX-License-Identifier: Apache-2.0
// RateLimiter: a token bucket shared by the applier's workers, by reservation.
#include "remote/rate_limiter.hpp"

#include <algorithm>

namespace mobisync::remote {

RateLimiter::RateLimiter(double rate_per_second, int burst, NowFn now) : now_(std::move(now)) {
  if (!now_) {
    now_ = [] { return Clock::now(); };
  }
  if (rate_per_second > 0) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / rate_per_second));
    interval_ = std::max(interval_, Clock::duration(1));
    tolerance_ = interval_ * (std::max(burst, 1) - 1);
  }
}

RateLimiter::Clock::duration RateLimiter::reserve() {
  if (unlimited()) {
    return Clock::duration::zero();
  }
  const Clock::time_point now = now_();
  std::lock_guard lock(mutex_);
  // An idle bucket holds at most `burst` tokens: slots older than the tolerance are gone.
  const Clock::time_point earliest = now - tolerance_;
  const Clock::time_point slot = started_ ? std::max(next_free_, earliest) : earliest;
  started_ = true;
  next_free_ = slot + interval_;
  return std::max(slot - now, Clock::duration::zero());
}

}  // namespace mobisync::remote
