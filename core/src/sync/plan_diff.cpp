// SPDX-License-Identifier: Apache-2.0
// The snapshot diff as a merge join of two msisdn-ordered streams.
#include "sync/plan_diff.hpp"

#include <algorithm>

namespace mobisync::sync {

PlanDiff::PlanDiff(const DesiredSet& desired, ReadScope scope) : desired_(desired), scope_(scope) {
  plan_.incremental = scope.incremental;
}

void PlanDiff::add(StoredPair&& pair) {
  ++plan_.summary.state_pairs;
  if (!group_.empty() && group_.front().msisdn != pair.msisdn) flushGroup();
  group_.push_back(std::move(pair));
}

Plan PlanDiff::finish() {
  if (!group_.empty()) flushGroup();
  const auto& cs = desired_.contacts();
  while (next_ < cs.size()) diff(&cs[next_++], {});
  return std::move(plan_);
}

void PlanDiff::flushGroup() {
  const auto& cs = desired_.contacts();
  const std::string& msisdn = group_.front().msisdn;
  while (next_ < cs.size() && cs[next_].msisdn < msisdn) diff(&cs[next_++], {});
  const DesiredContact* d = nullptr;
  if (next_ < cs.size() && cs[next_].msisdn == msisdn) d = &cs[next_++];
  diff(d, group_);
  group_.clear();
}

void PlanDiff::diff(const DesiredContact* d, const std::vector<StoredPair>& rows) {
  if (d == nullptr && scope_.incremental && !tombstoned(rows.front().msisdn)) {
    return;  // not among the changes: its pairs stay as they are
  }
  PlanEntry e;
  if (d != nullptr) {
    e.msisdn = d->msisdn;
    e.name = d->name;
    e.reference = d->reference;
  } else {
    e.msisdn = rows.front().msisdn;
  }
  // Both sides sorted by token text: walk them together.
  std::vector<const std::string*> want;
  if (d != nullptr) {
    want.reserve(d->apps.size());
    for (auto id : d->apps) want.push_back(&desired_.token(id));
    std::sort(want.begin(), want.end(), [](auto* a, auto* b) { return *a < *b; });
  }
  std::size_t i = 0, j = 0;
  while (i < want.size() || j < rows.size()) {
    if (j == rows.size() || (i < want.size() && *want[i] < rows[j].application)) {
      e.add.push_back(*want[i++]);
    } else if (i == want.size() || rows[j].application < *want[i]) {
      e.remove.push_back(rows[j++].application);
    } else {
      const auto& r = rows[j];
      if (r.name != e.name || r.reference != e.reference) {
        e.details_changed = true;
        e.old_name = r.name;
        e.old_reference = r.reference;
      }
      e.keep.push_back(r.application);
      ++i;
      ++j;
    }
  }
  PlanSummary& s = plan_.summary;
  if (d != nullptr) {
    ++s.desired_contacts;
    s.desired_pairs += static_cast<std::int64_t>(want.size());
  }
  if (!e.remove.empty() && desired_.isProtected(e.msisdn)) {
    s.protected_pairs += static_cast<std::int64_t>(e.remove.size());
    e.remove.clear();
  }
  s.add_pairs += static_cast<std::int64_t>(e.add.size());
  s.remove_pairs += static_cast<std::int64_t>(e.remove.size());
  if (e.details_changed) ++s.update_contacts;
  if (e.add.empty() && e.remove.empty() && !e.details_changed) {
    ++s.unchanged_contacts;
    return;
  }
  plan_.entries.push_back(std::move(e));
}

bool PlanDiff::tombstoned(const std::string& msisdn) const {
  return scope_.tombstones != nullptr &&
         std::binary_search(scope_.tombstones->begin(), scope_.tombstones->end(), msisdn);
}

Plan diffPlan(const DesiredSet& desired, std::vector<StoredPair> stored, ReadScope scope) {
  PlanDiff diff(desired, scope);
  for (auto& pair : stored) diff.add(std::move(pair));
  return diff.finish();
}

std::vector<std::pair<std::string, std::string>> removalCandidates(const Plan& plan) {
  std::vector<std::pair<std::string, std::string>> candidates;
  for (const auto& e : plan.entries) {
    for (const auto& a : e.remove) candidates.emplace_back(e.msisdn, a);
  }
  return candidates;
}

void releaseHeld(Plan& plan, const std::vector<bool>& held) {
  std::size_t k = 0;
  for (auto& e : plan.entries) {
    std::vector<std::string> remove;
    for (auto& a : e.remove) {
      if (k < held.size() && held[k]) {
        e.release.push_back(std::move(a));
      } else {
        remove.push_back(std::move(a));
      }
      ++k;
    }
    plan.summary.remove_pairs -= static_cast<std::int64_t>(e.release.size());
    plan.summary.release_pairs += static_cast<std::int64_t>(e.release.size());
    e.remove = std::move(remove);
  }
}

}  // namespace mobisync::sync
