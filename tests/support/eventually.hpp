// SPDX-License-Identifier: Apache-2.0
// eventually(): wait on a condition in a test, with a generous limit rather than a timing claim.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace mobisync::test {

/// Polls `ready` every 100 ms for up to `limit`; true as soon as it holds. The limit only keeps
/// a broken test from hanging, so it is generous: never a timing assertion.
inline bool eventually(const std::function<bool()>& ready, std::chrono::seconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ready();
}

}  // namespace mobisync::test
