// SPDX-License-Identifier: Apache-2.0
// Seeded, runtime-adjustable fault injection for simulated APIs: latency, HTTP 500, HTTP 429,
// and network faults (connection reset, stall, truncated body).
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
  double reset_rate = 0;     // close the connection without an answer
  int stall_ms = 0;          // how long a stalled call is held before it is answered
  double stall_rate = 0;
  double truncate_rate = 0;  // answer with a body shorter than its Content-Length, then close
  int smpp_stall_ms = 0;     // SMSC: hold every submit_sm_resp this long
  int smpp_drop_after = 0;   // SMSC: close a bind when its submit_sm number N+1 arrives; 0 never
};

/// Reset: the call is not processed. Truncate and Stall: it is processed; only the answer is
/// lost (cut, or sent after the client gave up), as when a network fails after the server acted.
enum class Fault { None, Error, TooManyRequests, Reset, Stall, Truncate };

/// "none", "error", "429", "reset", "stall" or "truncate", the names the request log uses.
std::string_view faultName(Fault fault);

/// The fault chosen for one call, with the Retry-After to send if it is a 429. A stalled call
/// has already been held when inject() returns; `fault` is Stall only if nothing else was drawn.
struct FaultDecision {
  Fault fault = Fault::None;
  int retry_after_s = 1;
  bool stalled = false;
};

/// Decides, per call, whether to fail it. Thread-safe. Draws come from seeded std::mt19937s so a
/// given seed and arrival order always give the same faults; network faults draw from their own
/// generator so that enabling them leaves the HTTP error and 429 sequences of a seed unchanged.
class FaultInjector {
 public:
  FaultInjector(const FaultSettings& settings, unsigned seed);

  FaultSettings settings() const;
  void update(const FaultSettings& settings);

  /// Sleeps until `arrival + latency_ms` (without holding any lock, so concurrent calls overlap),
  /// then draws the fault for this call, and sleeps stall_ms more if it is stalled.
  FaultDecision inject(std::chrono::steady_clock::time_point arrival);

 private:
  void sleepUntil(std::chrono::steady_clock::time_point deadline);

  mutable std::mutex mutex_;
  FaultSettings settings_;
  std::mt19937 random_;
  std::mt19937 network_random_;
  std::atomic<std::int64_t> wake_delay_ns_{0};  // running mean of how late sleeps wake up
};

}  // namespace mobisync::sim
