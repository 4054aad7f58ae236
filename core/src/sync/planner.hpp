// SPDX-License-Identifier: Apache-2.0
// makePlan(): diffs the desired set against the job's confirmed state.
#pragma once

#include <string>

#include "state/state_store.hpp"
#include "sync/desired_set.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

/// Streams the job's state (ordered by msisdn) against the sorted desired set: memory stays at
/// the desired set plus the changes. Pairs to remove that another job also holds become
/// releases. `desired` must be finish()ed.
Plan makePlan(const DesiredSet& desired, state::StateStore& store, const std::string& job);

}  // namespace mobisync::sync
