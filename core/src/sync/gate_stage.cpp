// SPDX-License-Identifier: Apache-2.0
// The safety gates: a source that looks emptied or unreadable, or too many removals.
#include "sync/gate_stage.hpp"

#include <utility>
#include <vector>

#include <Poco/Format.h>

namespace mobisync::sync {

std::string gateReason(const Plan& plan, const config::JobConfig& job,
                       const GateOverrides& overrides, const SourceTally& source,
                       const std::string& reject_file) {
  const auto& s = plan.summary;
  // An incremental read with no changes is the normal case, not an emptied source.
  if (!plan.incremental && s.desired_contacts == 0 && s.state_pairs > 0 &&
      !overrides.allow_empty_source) {
    return Poco::format(
        "the source returned no contacts (%Ld rows rejected); refusing to remove the job's %Ld "
        "subscriptions. Fix the source, or run again with --allow-empty-source if it is really "
        "empty.",
        source.rejected, s.state_pairs);
  }
  const std::int64_t reject_allowed = job.max_reject.allowed(source.fetched);
  if (s.remove_pairs > 0 && source.unreadable > reject_allowed && !overrides.force) {
    // Rows whose number could not be read may be contacts the source still holds: removing
    // what they did not protect could unsubscribe them.
    return Poco::format(
        "%Ld of %Ld rows have a phone number that cannot be read, over max_reject = %s (at most "
        "%Ld); they may be contacts the source still holds, so the run's %Ld removals are held. "
        "See the rejected rows%s, fix the source (a CSV export in another encoding needs the "
        "source's `encoding` key), then run again; --force applies the removals anyway.",
        source.unreadable, source.fetched, job.max_reject.text(), reject_allowed, s.remove_pairs,
        reject_file.empty() ? std::string() : " in " + reject_file);
  }
  const std::int64_t allowed = job.max_delete.allowed(s.state_pairs);
  if (s.remove_pairs > allowed && !overrides.force) {
    return Poco::format(
        "%Ld removals exceed max_delete = %s of %Ld subscriptions (at most %Ld); check the "
        "source and `mobisync plan %s`, then run again with --force to apply them.",
        s.remove_pairs, job.max_delete.text(), s.state_pairs, allowed, job.name);
  }
  return {};
}

std::int64_t holdRemovals(Plan& plan) {
  std::int64_t held = 0;
  std::vector<PlanEntry> kept;
  for (auto& e : plan.entries) {
    held += static_cast<std::int64_t>(e.remove.size() + e.release.size());
    e.remove.clear();
    e.release.clear();
    if (!e.add.empty() || e.details_changed) kept.push_back(std::move(e));
  }
  plan.entries = std::move(kept);
  return held;
}

}  // namespace mobisync::sync
