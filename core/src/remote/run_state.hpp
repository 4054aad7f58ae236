// SPDX-License-Identifier: Apache-2.0
// RunState: what the workers of one Applier::run and its calling thread share, with the circuit
// breaker that stops a run against a provider that gives no answer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "remote/applier.hpp"
#include "remote/proxy_protocol.hpp"

namespace mobisync::remote {

/// Shared by reference between the workers and the calling thread for one run(); thread-safe.
class RunState {
 public:
  using SteadyClock = std::chrono::steady_clock;

  /// Attempts in a row, across all workers, that got no HTTP answer at all (refused, reset,
  /// timeout, TLS) before the run stops. Small, so a provider that is down costs seconds rather
  /// than max_attempts backoffs per call; a single answer of any kind resets the count, so a
  /// flaky provider that answers now and then is retried as before.
  static constexpr int kBreakerFailures = 5;

  RunState(const std::vector<ProviderCall>& all_calls, const std::atomic<bool>* stop)
      : calls(all_calls), stop_(stop) {}

  const std::vector<ProviderCall>& calls;
  std::atomic<std::size_t> next{0};  ///< the index of the next call a worker takes
  std::atomic<bool> auth_failed{false};
  std::atomic<bool> provider_failed{false};  ///< breaker, TLS refusal, not the API
  std::atomic<bool> breaker_tripped{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> peak_in_flight{0};

  /// A halt or the caller's stop flag: make no more calls.
  bool stopping() const;
  bool halted() const { return halted_.load(); }

  /// Stops the run from inside (auth or TLS failure, the breaker, a failed hand-over) and wakes
  /// sleeping workers. The first reason stays. `label` says what happens to the calls left:
  /// "not sent" or "stopped".
  void halt(const std::string& label, const std::string& reason);
  /// The first halt's reason, bare ("the provider refused the credentials"); "" when none.
  std::string haltReason();
  /// Why calls are not (or no longer) being made, for their Status: "not sent: <reason>", or
  /// "stopped" after the caller's stop.
  std::string stopReason();

  /// Counts an attempt towards the circuit breaker; trips it after kBreakerFailures in a row.
  void countTransport(const Attempt& a, const std::string& provider);

  /// Sleeps `d` unless a stop or halt comes first; returns false when interrupted.
  bool sleepFor(SteadyClock::duration d);

  /// Hands a finished call to the calling thread.
  void publish(std::size_t index, CallResult&& result);
  /// Waits for finished calls and moves them into `batch` (empty on entry).
  void take(std::vector<Completed>& batch);

 private:
  const std::atomic<bool>* stop_;
  std::atomic<bool> halted_{false};
  std::atomic<int> transport_failures_{0};  // consecutive, across workers
  std::mutex last_error_mutex_;
  std::string last_transport_error_;  // guarded by last_error_mutex_
  std::mutex halt_mutex_;
  std::string halt_label_;   // guarded by halt_mutex_; set once
  std::string halt_reason_;  // guarded by halt_mutex_; set once

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<Completed> ready_;  // guarded by queue_mutex_
  bool consumer_waiting_ = false;  // guarded by queue_mutex_

  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;  // wakes sleeping workers on a halt
};

}  // namespace mobisync::remote
