// SPDX-License-Identifier: Apache-2.0
// ConcatReferences: the concatenation reference of long messages, per destination and UTC day.
#pragma once

#include <cstdint>
#include <string>

#include "state/state_store.hpp"

namespace mobisync::state {

/// The `concat_references` table over the store's session: per (recipient, UTC day) the next
/// reference to hand out. A new (recipient, day) row starts at a random value (so two states, or
/// a state reset, do not start every handset at 0); each call takes the row's value and
/// increments it in one write transaction, so processes sharing the state never hand out the
/// same value for one recipient in a day (until 2^63 calls). Callers reduce it modulo 256 or
/// 65536. Borrows the store, which must outlive it; same threading rule as the store. Throws
/// StateError on database failures.
class ConcatReferenceTable {
 public:
  explicit ConcatReferenceTable(StateStore& store) : store_(store) {}

  /// The next value for `recipient` on the UTC day of `now_ms`; `random_start` is where a new
  /// (recipient, day) row begins. Rows of that recipient's earlier days go in the same
  /// transaction (they can never be asked for again).
  std::int64_t take(const std::string& recipient, std::int64_t now_ms, std::uint32_t random_start);

 private:
  StateStore& store_;
};

/// The UTC day number (days since 1970-01-01) of `ms` since the epoch.
inline std::int64_t utcDay(std::int64_t ms) {
  constexpr std::int64_t kDayMs = 86'400'000;
  return ms >= 0 ? ms / kDayMs : -((-ms + kDayMs - 1) / kDayMs);
}

}  // namespace mobisync::state
