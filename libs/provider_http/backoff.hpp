// SPDX-License-Identifier: Apache-2.0
// Backoff: exponential delay with full jitter, capped, with Retry-After as a floor.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace mobisync::provider_http {

/// The upper bound of the delay before retry number `retry` (1 for the first retry):
/// min(max, initial * 2^(retry-1)). Never negative, never overflows.
std::chrono::milliseconds backoffCeiling(std::chrono::milliseconds initial,
                                         std::chrono::milliseconds max, int retry);

/// Draws retry delays uniformly from [0, backoffCeiling] ("full jitter", so workers that failed
/// together do not retry together), and never below a Retry-After the server sent (itself
/// capped at `max`, so one hostile header cannot park a worker for a day).
/// One per worker: not thread-safe.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed);

  /// The delay before retry number `retry` (1-based).
  std::chrono::milliseconds next(int retry,
                                 std::optional<std::chrono::milliseconds> retry_after =
                                     std::nullopt);

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::mt19937_64 rng_;
};

}  // namespace mobisync::provider_http
