// SPDX-License-Identifier: Apache-2.0
// PlanDiff: the pure diff of a desired set against a job's stored pairs, on plain data.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sync/desired_set.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

/// One subscription the job holds in its confirmed state, as the diff sees it.
struct StoredPair {
  std::string msisdn;
  std::string application;
  std::string name;
  std::string reference;
};

/// What the read covered. A snapshot holds the whole desired set. An incremental read holds only
/// the numbers that changed: each yielded number's pairs are diffed as usual, a tombstoned number
/// (sorted, unique) loses every pair, and every other number is left as it is.
struct ReadScope {
  bool incremental = false;
  const std::vector<std::string>* tombstones = nullptr;
};

/// A merge join of the job's stored pairs, fed in (msisdn, application) byte order, against the
/// sorted desired set: memory stays at the desired set plus one number's pairs plus the changes,
/// however many pairs stream through. `desired` must be finish()ed and outlive the diff.
class PlanDiff {
 public:
  explicit PlanDiff(const DesiredSet& desired, ReadScope scope = {});

  void add(StoredPair&& pair);
  /// After the last pair: the plan, every removal still a removal (see releaseHeld).
  Plan finish();

 private:
  void flushGroup();
  void diff(const DesiredContact* d, const std::vector<StoredPair>& rows);
  bool tombstoned(const std::string& msisdn) const;

  const DesiredSet& desired_;
  ReadScope scope_;
  Plan plan_;
  std::vector<StoredPair> group_;  // the pairs of one msisdn, ordered by application
  std::size_t next_ = 0;           // the first desired contact not yet diffed
};

/// The whole diff over pairs already in memory (ordered like PlanDiff::add wants them).
Plan diffPlan(const DesiredSet& desired, std::vector<StoredPair> stored, ReadScope scope = {});

/// The plan's removals as (msisdn, application), in entry order: what the ownership check asks
/// about.
std::vector<std::pair<std::string, std::string>> removalCandidates(const Plan& plan);

/// Moves the removals another job also holds (`held[k]` for the k-th removal candidate) into
/// `release`: dropped from our state without a call, so we never unsubscribe that job's pair.
void releaseHeld(Plan& plan, const std::vector<bool>& held);

}  // namespace mobisync::sync
