// SPDX-License-Identifier: Apache-2.0
// NumberChecker: HLR lookups through a notifier, remembered in the state for a configured time.
#pragma once

#include <cstdint>
#include <string>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"
#include "notify/notifier_pool.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// One answer and where it came from.
struct CheckedNumber {
  plugin::NumberStatus status;
  bool cached = false;
};

/// Answers from the state's hlr_cache when younger than `max_age_hours`, else asks the
/// notifier's NumberLookup and stores the answer (Unknown answers are not stored, so the next
/// run asks again). Borrows the pool and the store; not thread-safe.
class NumberChecker {
 public:
  NumberChecker(NotifierPool& pool, state::StateStore& store, std::string via,
                std::int64_t max_age_hours)
      : pool_(pool), store_(store), via_(std::move(via)), max_age_hours_(max_age_hours) {}

  /// Fails when the notifier cannot be created or has no lookup capability (a config error),
  /// else the lookup's own failure (the caller decides what an unanswered number means).
  Result<CheckedNumber> check(const std::string& msisdn);

 private:
  NotifierPool& pool_;
  state::StateStore& store_;
  std::string via_;
  std::int64_t max_age_hours_;
};

}  // namespace mobisync::notify
