// SPDX-License-Identifier: Apache-2.0
// Printing job reports: the plan as a table or JSON, and the one-paragraph result.
#pragma once

#include <ostream>
#include <vector>

#include "sync/job_report.hpp"

namespace mobisync::app {

/// The plan as a human table: one line per msisdn, at most `limit` lines, then the counts and
/// any block reason.
void printPlanTable(std::ostream& out, const sync::JobReport& r, int limit);

/// Plan lines `sync` shows before applying; `plan` shows them all.
inline constexpr int kPreviewLines = 5;

/// The plan in short for `sync`: the counts and the first kPreviewLines changes. A block is
/// said once, by printResult().
void printPlanPreview(std::ostream& out, const sync::JobReport& r);

/// What a sync did, in a few lines a CRM administrator can act on.
void printResult(std::ostream& out, const sync::JobReport& r);

/// Every report as one JSON document: {"jobs": [{job, outcome, summary, changes, ...}]}.
/// `with_changes` includes every plan entry (plan --format json).
void printJson(std::ostream& out, const std::vector<sync::JobReport>& reports, bool with_changes);

}  // namespace mobisync::app
