// SPDX-License-Identifier: Apache-2.0
// Plan: the only thing the applier executes — per msisdn, what to add, remove and update.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mobisync::sync {

/// The changes for one msisdn. `keep` are applications already confirmed and still wanted; they
/// are re-sent with a create only when the name or reference changed.
struct PlanEntry {
  std::string msisdn;
  std::string name;
  std::string reference;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  std::vector<std::string> keep;
  std::vector<std::string> release;  ///< removals another job still holds: dropped from our
                                     ///< state without a call, so we never unsubscribe its pair
  bool details_changed = false;
  std::string old_name;
  std::string old_reference;
};

/// Counts of a plan, in pairs of (msisdn, application) unless said otherwise.
struct PlanSummary {
  std::int64_t desired_contacts = 0;
  std::int64_t desired_pairs = 0;
  std::int64_t state_pairs = 0;
  std::int64_t add_pairs = 0;
  std::int64_t remove_pairs = 0;
  std::int64_t release_pairs = 0;
  /// Removals not planned because a rejected row names the number (see DesiredSet::protect).
  std::int64_t protected_pairs = 0;
  std::int64_t update_contacts = 0;
  std::int64_t unchanged_contacts = 0;
};

struct Plan {
  std::vector<PlanEntry> entries;
  PlanSummary summary;
  /// Made from an incremental read: numbers the source did not yield were left alone, so
  /// `summary.desired_*` count only the changed ones.
  bool incremental = false;
};

/// Flags per plan entry that the apply stage sets as the provider answers.
enum ConfirmedFlag : std::uint8_t {
  kAddConfirmed = 1,     ///< an application new to the job was confirmed created
  kRemoveConfirmed = 2,  ///< an application was confirmed removed
  kCallFailed = 4,       ///< some call of the entry was refused or stayed unavailable
};

}  // namespace mobisync::sync
