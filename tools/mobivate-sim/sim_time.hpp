// SPDX-License-Identifier: Apache-2.0
// Wall-clock times as the provider writes them in webhook and opt-out bodies (UTC).
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace mobisync::sim {

inline std::int64_t wallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// `ms` (Unix ms) in UTC with strftime `format`; by default "2024-05-01 10:00:02".
inline std::string utcText(std::int64_t ms, const char* format = "%Y-%m-%d %H:%M:%S") {
  const auto s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char out[40];
  std::strftime(out, sizeof out, format, &tm);
  return out;
}

}  // namespace mobisync::sim
