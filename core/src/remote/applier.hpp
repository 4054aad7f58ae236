// SPDX-License-Identifier: Apache-2.0
// Applier: runs provider calls concurrently, with retry, backoff and an optional rate limit.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

#include "remote/provider_call.hpp"

namespace mobisync::remote {

/// One finished call: its index in the input and its result.
struct Completed {
  std::size_t index;
  CallResult result;
};

/// Totals of one apply run.
struct ApplyStats {
  std::size_t succeeded = 0;  ///< calls answered 200 (tokens may have failed individually)
  std::size_t rejected = 0;   ///< permanent errors
  std::size_t unavailable = 0;  ///< retries exhausted, or not started because of a stop
  std::size_t retries = 0;    ///< extra attempts made
  std::size_t peak_in_flight = 0;  ///< most requests outstanding at once (proof of concurrency)
  std::size_t connections = 0;  ///< TCP/TLS connections opened (keep-alive keeps this low)
  bool auth_failed = false;   ///< the provider refused the credentials; the run stopped early
  /// The run stopped early because of the provider: the circuit breaker (calls in a row with no
  /// answer), a refused TLS certificate, or something that is not the proxy API answering.
  bool provider_failed = false;
  bool breaker_tripped = false;
  bool stopped = false;         ///< the caller's stop flag was set (signal, deadline, lost lease)
  std::size_t not_made = 0;     ///< calls never sent because the run stopped first
  /// Why the run stopped early, when it did: the bare reason ("the provider refused the
  /// credentials"); the calls it left carry it as "not sent: <reason>".
  std::string halt_reason;
  /// No call could start: the settings are wrong (an unreadable ca_file, a bad TLS setup).
  std::string config_error;
};

/// Runs `settings.concurrency` workers, each with its own keep-alive connection. Results are
/// handed to `on_batch` on the calling thread only, in completion order, in batches of whatever
/// finished since the last hand-over: the caller records each batch in one transaction.
/// Not thread-safe; one run() at a time.
class Applier {
 public:
  using BatchFn = std::function<void(const std::vector<Completed>&)>;

  explicit Applier(config::ProviderSettings settings);

  /// Runs every call, returns when all are done or `stop` became true (calls not yet started
  /// are then reported as Unavailable "stopped").
  ApplyStats run(const std::vector<ProviderCall>& calls, const BatchFn& on_batch,
                 const std::atomic<bool>* stop = nullptr);

 private:
  config::ProviderSettings settings_;
};

}  // namespace mobisync::remote
