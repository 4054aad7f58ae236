// SPDX-License-Identifier: Apache-2.0
// HlrCache: stored number-lookup answers, so a number is looked up at most once per max age.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mobisync/plugin/plugin.hpp"
#include "state/state_store.hpp"

namespace mobisync::state {

/// A stored answer and when it was looked up.
struct CachedLookup {
  plugin::NumberStatus status;
  std::int64_t looked_up_at_ms = 0;
};

/// The `hlr_cache` table over the store's session. A memo: losing it costs lookups, nothing
/// else. Borrows the store, which must outlive it; same threading rule as the store. Throws
/// StateError on database failures.
class HlrCache {
 public:
  explicit HlrCache(StateStore& store) : store_(store) {}

  /// The stored answer for `msisdn` when it was looked up at or after `not_before_ms`.
  std::optional<CachedLookup> find(const std::string& msisdn, std::int64_t not_before_ms);
  /// Inserts or replaces the answer for `msisdn`.
  void store(const std::string& msisdn, const plugin::NumberStatus& status, std::int64_t now_ms);

 private:
  StateStore& store_;
};

/// "active", "inactive", "unknown": how the state is spelled in the table and in output.
const char* numberStateName(plugin::NumberStatus::State s);

}  // namespace mobisync::state
