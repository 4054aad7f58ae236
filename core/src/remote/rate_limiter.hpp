// SPDX-License-Identifier: Apache-2.0
// RateLimiter: a token bucket shared by the applier's workers, by reservation.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace mobisync::remote {

/// A token bucket of `burst` tokens refilled at `rate_per_second`, in its reservation form
/// (GCRA): reserve() takes the next free slot at once and returns how long the caller must wait
/// for it, so no lock is held while anyone sleeps. Thread-safe; shared by all workers.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;

  /// `rate_per_second` <= 0 means unlimited; `now` is injectable for tests.
  explicit RateLimiter(double rate_per_second, int burst = 1, NowFn now = {});

  /// Takes one token; returns how long to wait before using it (zero when one was available).
  Clock::duration reserve();

  bool unlimited() const { return interval_.count() == 0; }

 private:
  Clock::duration interval_{0};
  Clock::duration tolerance_{0};  // (burst - 1) intervals: how far ahead of time a caller may go
  NowFn now_;
  std::mutex mutex_;
  Clock::time_point next_free_{};
  bool started_ = false;
};

}  // namespace mobisync::remote
