// SPDX-License-Identifier: Apache-2.0
// nowMs(): the wall clock in the unit every state timestamp uses.
#pragma once

#include <chrono>
#include <cstdint>

namespace mobisync::values {

/// Milliseconds since the Unix epoch (UTC), as the state's BIGINT timestamps store them.
inline std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace mobisync::values
