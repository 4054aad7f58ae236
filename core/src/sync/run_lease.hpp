// SPDX-License-Identifier: Apache-2.0
// takeRunLease(): the job's lease for one real sync, or the report of a run that may not go on.
#pragma once

#include <atomic>
#include <optional>

#include "config/app_config.hpp"
#include "state/state_store.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_report.hpp"

namespace mobisync::sync {

/// Takes the lease of `job` into `lease`, held from before the source is read until the run is
/// recorded, so two processes on one state never plan or apply the same job at once. Returns
/// nothing when the run may go on, else its report: Skipped naming the holder when another
/// process has the job, Failed when the state could not be asked. `keep_lease`: leave the lease
/// to expire instead of releasing it (JobOptions::keep_lease).
std::optional<JobReport> takeRunLease(std::optional<JobLease>& lease,
                                      const config::AppConfig& cfg, const config::JobConfig& job,
                                      state::StateStore& store, bool keep_lease,
                                      const std::atomic<bool>* stop);

/// A report naming the job and its source, with nothing done yet.
JobReport emptyReport(const config::JobConfig& job);

}  // namespace mobisync::sync
