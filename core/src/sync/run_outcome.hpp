// SPDX-License-Identifier: Apache-2.0
// judgeApply(): the run's one outcome once its calls are done, from the provider's and the
// run's side of what happened.
#pragma once

#include <cstdint>
#include <string>

#include "remote/applier.hpp"
#include "sync/job_report.hpp"

namespace mobisync::sync {

/// What else was true when the calls ended, besides the applier's totals.
struct ApplyCircumstances {
  std::string lease_lost;            ///< why the job's lease was lost; empty while held
  bool deadline_expired = false;     ///< max_run_seconds passed
  std::int64_t deadline_seconds = 0; ///< max_run_seconds, for the message
  bool stop_requested = false;       ///< the caller's stop rose (a signal)
  std::string provider_user;         ///< named when the provider refused the credentials
  int max_attempts = 0;              ///< [provider] max_attempts, for the message
};

/// Sets the report's outcome, status, auth_failed, provider_unavailable and stopped from the
/// applier's totals and the report's counts: Succeeded (or the gate's Blocked) only when every
/// planned call was confirmed, Partial when some were, Failed when none was or the lease was
/// lost or the [provider] settings stopped every call (a config error).
void judgeApply(JobReport& r, const remote::ApplyStats& stats, const ApplyCircumstances& c);

}  // namespace mobisync::sync
