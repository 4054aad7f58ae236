// SPDX-License-Identifier: Apache-2.0
// Small time helpers the Session's files share: waits for poll() and durations in log lines.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

namespace mobisync::plugins::smpp::session_timing {

/// "250 ms".
inline std::string millisText(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

/// Milliseconds from `now` to `until` for poll(): 0 when past, at most 1000 so a stop request is
/// seen within a second.
inline int waitMillis(std::chrono::steady_clock::time_point now,
                      std::chrono::steady_clock::time_point until) {
  if (until <= now) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
  return static_cast<int>(std::min<long long>(ms, 1000));
}

}  // namespace mobisync::plugins::smpp::session_timing
