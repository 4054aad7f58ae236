// SPDX-License-Identifier: Apache-2.0
// The snapshot diff as a merge join of two msisdn-ordered streams.
#include "sync/planner.hpp"

#include <algorithm>
#include <utility>

namespace mobisync::sync {

namespace {

/// Rows of one msisdn from the state, gathered while streaming.
struct StateGroup {
  std::string msisdn;
  std::vector<state::PairRow> rows;  // ordered by application
};

class Differ {
 public:
  Differ(const DesiredSet& desired, Plan& plan, const ReadScope& scope)
      : desired_(desired), plan_(plan), scope_(scope) {}

  void onStateRow(state::PairRow&& row) {
    ++plan_.summary.state_pairs;
    if (!group_.rows.empty() && group_.msisdn != row.msisdn) flushGroup();
    if (group_.rows.empty()) group_.msisdn = row.msisdn;
    group_.rows.push_back(std::move(row));
  }

  void finish() {
    if (!group_.rows.empty()) flushGroup();
    const auto& cs = desired_.contacts();
    while (next_ < cs.size()) diff(&cs[next_++], {});
  }

 private:
  void flushGroup() {
    const auto& cs = desired_.contacts();
    while (next_ < cs.size() && cs[next_].msisdn < group_.msisdn) diff(&cs[next_++], {});
    const DesiredContact* d = nullptr;
    if (next_ < cs.size() && cs[next_].msisdn == group_.msisdn) d = &cs[next_++];
    diff(d, group_.rows);
    group_.rows.clear();
  }

  void diff(const DesiredContact* d, const std::vector<state::PairRow>& rows) {
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
    if (d != nullptr) {
      ++plan_.summary.desired_contacts;
      plan_.summary.desired_pairs += static_cast<std::int64_t>(want.size());
    }
    if (!e.remove.empty() && desired_.isProtected(e.msisdn)) {
      plan_.summary.protected_pairs += static_cast<std::int64_t>(e.remove.size());
      e.remove.clear();
    }
    plan_.summary.add_pairs += static_cast<std::int64_t>(e.add.size());
    plan_.summary.remove_pairs += static_cast<std::int64_t>(e.remove.size());
    if (e.details_changed) ++plan_.summary.update_contacts;
    if (e.add.empty() && e.remove.empty() && !e.details_changed) {
      ++plan_.summary.unchanged_contacts;
      return;
    }
    plan_.entries.push_back(std::move(e));
  }

  bool tombstoned(const std::string& msisdn) const {
    return scope_.tombstones != nullptr &&
           std::binary_search(scope_.tombstones->begin(), scope_.tombstones->end(), msisdn);
  }

  const DesiredSet& desired_;
  Plan& plan_;
  const ReadScope& scope_;
  StateGroup group_;
  std::size_t next_ = 0;
};

/// Moves removals that another job also holds into `release`.
void applyOwnership(Plan& plan, state::StateStore& store, const std::string& job) {
  std::vector<std::pair<std::string, std::string>> candidates;
  for (const auto& e : plan.entries) {
    for (const auto& a : e.remove) candidates.emplace_back(e.msisdn, a);
  }
  if (candidates.empty()) return;
  std::vector<bool> held = store.heldByOtherJobs(job, candidates);
  std::size_t k = 0;
  for (auto& e : plan.entries) {
    std::vector<std::string> remove;
    for (auto& a : e.remove) {
      if (held[k++]) {
        e.release.push_back(std::move(a));
      } else {
        remove.push_back(std::move(a));
      }
    }
    plan.summary.remove_pairs -= static_cast<std::int64_t>(e.release.size());
    plan.summary.release_pairs += static_cast<std::int64_t>(e.release.size());
    e.remove = std::move(remove);
  }
}

}  // namespace

Plan makePlan(const DesiredSet& desired, state::StateStore& store, const std::string& job,
              const ReadScope& scope) {
  Plan plan;
  plan.incremental = scope.incremental;
  Differ differ(desired, plan, scope);
  store.forEachPair(job, [&](state::PairRow&& row) { differ.onStateRow(std::move(row)); });
  differ.finish();
  applyOwnership(plan, store, job);
  return plan;
}

}  // namespace mobisync::sync
