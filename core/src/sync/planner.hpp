// SPDX-License-Identifier: Apache-2.0
// The plan stage: loads the job's stored pairs and its co-owners from the state, diffs them
// (plan_diff.hpp) against the desired set.
#pragma once

#include <string>

#include "mobisync/result.hpp"
#include "state/state_store.hpp"
#include "sync/desired_set.hpp"
#include "sync/plan.hpp"
#include "sync/plan_diff.hpp"

namespace mobisync::sync {

/// Streams the job's state (ordered by msisdn) through a PlanDiff, then turns removals that
/// another job also holds into releases. `desired` must be finish()ed. Throws on state errors.
Plan makePlan(const DesiredSet& desired, state::StateStore& store, const std::string& job,
              const ReadScope& scope = {});

/// makePlan as a stage of the run: a state error is the Status "cannot read state: ...".
Result<Plan> planStage(const DesiredSet& desired, state::StateStore& store,
                       const std::string& job, const ReadScope& scope);

}  // namespace mobisync::sync
