// SPDX-License-Identifier: Apache-2.0
// makePlan(): diffs the desired set against the job's confirmed state.
#pragma once

#include <string>
#include <vector>

#include "state/state_store.hpp"
#include "sync/desired_set.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

/// What the read covered. A snapshot holds the whole desired set. An incremental read holds only
/// the numbers that changed: each yielded number's pairs are diffed as usual, a tombstoned number
/// (sorted, unique) loses every pair, and every other number is left as it is.
struct ReadScope {
  bool incremental = false;
  const std::vector<std::string>* tombstones = nullptr;
};

/// Streams the job's state (ordered by msisdn) against the sorted desired set: memory stays at
/// the desired set plus the changes. Pairs to remove that another job also holds become
/// releases. `desired` must be finish()ed.
Plan makePlan(const DesiredSet& desired, state::StateStore& store, const std::string& job,
              const ReadScope& scope = {});

}  // namespace mobisync::sync
