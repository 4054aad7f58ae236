// SPDX-License-Identifier: Apache-2.0
// The plan stage: the state's side of planning, around the pure diff.
#include "sync/planner.hpp"

#include <exception>
#include <utility>

namespace mobisync::sync {

Plan makePlan(const DesiredSet& desired, state::StateStore& store, const std::string& job,
              const ReadScope& scope) {
  PlanDiff diff(desired, scope);
  store.forEachPair(job, [&diff](state::PairRow&& row) {
    diff.add(StoredPair{std::move(row.msisdn), std::move(row.application), std::move(row.name),
                        std::move(row.reference)});
  });
  Plan plan = diff.finish();
  const auto candidates = removalCandidates(plan);
  if (!candidates.empty()) releaseHeld(plan, store.heldByOtherJobs(job, candidates));
  return plan;
}

Result<Plan> planStage(const DesiredSet& desired, state::StateStore& store,
                       const std::string& job, const ReadScope& scope) {
  try {
    return makePlan(desired, store, job, scope);
  } catch (const std::exception& e) {
    return Status::io(std::string("cannot read state: ") + e.what());
  }
}

}  // namespace mobisync::sync
