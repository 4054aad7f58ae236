// SPDX-License-Identifier: Apache-2.0
// The gate stage: the safety gates that hold a plan's removals (design.md section 1).
#pragma once

#include <cstdint>
#include <string>

#include "config/app_config.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

/// The operator's overrides of the gates.
struct GateOverrides {
  bool force = false;               ///< apply removals over max_delete or max_reject
  bool allow_empty_source = false;  ///< an empty source may remove everything
};

/// What the read stage counted that the gates look at.
struct SourceTally {
  std::int64_t fetched = 0;     ///< rows the source yielded, rejected ones included
  std::int64_t rejected = 0;    ///< of those, rows written to the reject file
  std::int64_t unreadable = 0;  ///< of those, rows whose number could not be read
};

/// Why the plan's removals must be held, or empty when they may go ahead: an emptied snapshot
/// source, more unreadable numbers than max_reject (only when something would be removed), more
/// removals than max_delete. `reject_file` (may be empty) is named in the advice.
std::string gateReason(const Plan& plan, const config::JobConfig& job,
                       const GateOverrides& overrides, const SourceTally& source,
                       const std::string& reject_file);

/// Drops every removal and release from the plan (entries left with nothing to do go too);
/// returns how many pairs were held.
std::int64_t holdRemovals(Plan& plan);

}  // namespace mobisync::sync
