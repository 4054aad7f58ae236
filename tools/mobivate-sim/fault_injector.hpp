// SPDX-License-Identifier: Apache-2.0
// Seeded, runtime-adjustable fault injection (latency, HTTP 500, HTTP 429) for simulated APIs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string_view>

namespace mobisync::sim {

/// What faults to inject; changed at start-up by flags and at run time by POST /_sim/faults.
struct FaultSettings {
  int latency_ms = 0;
  double error_rate = 0;
  double rate_429 = 0;
  int retry_after_s = 1;
};

enum class Fault { None, Error, TooManyRequests };

/// "none", "error" or "429", the names the request log uses.
std::string_view faultName(Fault fault);

/// The fault chosen for one call, with the Retry-After to send if it is a 429.
struct FaultDecision {
  Fault fault = Fault::None;
  int retry_after_s = 1;
};

/// Decides, per call, whether to fail it. Thread-safe. Draws come from one std::mt19937 so a
/// given seed and arrival order always give the same faults.
class FaultInjector {
 public:
  FaultInjector(const FaultSettings& settings, unsigned seed);

  FaultSettings settings() const;
  void update(const FaultSettings& settings);

  /// Sleeps until `arrival + latency_ms` (without holding any lock, so concurrent calls overlap),
  /// then draws the fault for this call.
  FaultDecision inject(std::chrono::steady_clock::time_point arrival);

 private:
  void sleepUntil(std::chrono::steady_clock::time_point deadline);

  mutable std::mutex mutex_;
  FaultSettings settings_;
  std::mt19937 random_;
  std::atomic<std::int64_t> wake_delay_ns_{0};  // running mean of how late sleeps wake up
};

}  // namespace mobisync::sim
