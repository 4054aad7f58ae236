// SPDX-License-Identifier: Apache-2.0
// Backoff: exponential delay with full jitter, capped, with Retry-After as a floor.
#include "provider_http/backoff.hpp"

#include <algorithm>

namespace mobisync::provider_http {

std::chrono::milliseconds backoffCeiling(std::chrono::milliseconds initial,
                                         std::chrono::milliseconds max, int retry) {
  const std::chrono::milliseconds cap = std::max(max, std::chrono::milliseconds(0));
  std::chrono::milliseconds d = std::clamp(initial, std::chrono::milliseconds(0), cap);
  // Doubling stops at the cap, so a large retry number cannot overflow.
  for (int i = 1; i < retry && d < cap; ++i) {
    d = std::min(cap, d * 2);
  }
  return d;
}

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                 std::uint64_t seed)
    : initial_(initial), max_(max), rng_(seed) {}

std::chrono::milliseconds Backoff::next(int retry,
                                        std::optional<std::chrono::milliseconds> retry_after) {
  const auto ceiling = backoffCeiling(initial_, max_, retry);
  std::uniform_int_distribution<std::int64_t> dist(0, ceiling.count());
  std::chrono::milliseconds d(dist(rng_));
  if (retry_after) {
    const auto floor = std::clamp(*retry_after, std::chrono::milliseconds(0),
                                  std::max(max_, std::chrono::milliseconds(0)));
    d = std::max(d, floor);
  }
  return d;
}

}  // namespace mobisync::provider_http
