// SPDX-License-Identifier: Apache-2.0
// Seeded, runtime-adjustable fault injection for simulated APIs: latency, HTTP 500, HTTP 429,
// network faults (connection reset, stall, truncated body, trickled body, body stalled midway)
// and a switch that refuses every credential (HTTP 401).
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
  double trickle_rate = 0;   // answer 200 without Content-Length, one body byte per trickle_ms
  int trickle_ms = 500;
  double stall_body_rate = 0;  // send the headers and half the body, hold stall_body_ms, finish
  int stall_body_ms = 60000;
  bool unauthorized = false;  // every provider API call answers 401, whatever its credentials
  int smpp_stall_ms = 0;     // SMSC: hold every submit_sm_resp this long
  int smpp_drop_after = 0;   // SMSC: close a bind at its submit_sm N+1 (N answered); 0 never
};

/// Reset and Refused: the call is not processed. Truncate, Trickle, StallBody and Stall: it is
/// processed; only the answer is lost or late (cut, dribbled, held mid-body, or sent after the
/// client gave up), as when a network fails after the server acted. Unauthorized: answered 401
/// and not processed.
enum class Fault {
  None,
  Error,
  TooManyRequests,
  Reset,
  Stall,
  Truncate,
  Trickle,
  StallBody,
  Unauthorized,
  Refused,
};

/// "none", "error", "429", "reset", "stall", "truncate", "trickle", "stall_body",
/// "unauthorized" or "refused", the names the request log uses.
std::string_view faultName(Fault fault);

/// The fault chosen for one call, with the Retry-After to send if it is a 429 and the pace of a
/// trickled or stalled body. A stalled call has already been held when inject() returns; `fault`
/// is Stall only if nothing else was drawn.
struct FaultDecision {
  Fault fault = Fault::None;
  int retry_after_s = 1;
  bool stalled = false;
  int trickle_ms = 0;
  int stall_body_ms = 0;
  /// Answer 401 instead of processing the call, unless a reset, 500 or 429 was drawn; a
  /// truncated, trickled or stalled body is then the 401's. `fault` says Unauthorized only when
  /// nothing else was drawn.
  bool unauthorized = false;
};

/// Decides, per call, whether to fail it. Thread-safe. Draws come from seeded std::mt19937s so a
/// given seed and arrival order always give the same faults; network faults draw from their own
/// generator so that enabling them leaves the HTTP error and 429 sequences of a seed unchanged,
/// and the slow-body faults (trickle, stall mid-body) from a third, so that the reset, stall and
/// truncate sequences of a seed are what they were before those faults existed.
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
  std::mt19937 body_random_;
  std::atomic<std::int64_t> wake_delay_ns_{0};  // running mean of how late sleeps wake up
};

}  // namespace mobisync::sim
