// SPDX-License-Identifier: Apache-2.0
// takeRunLease(): a run's first step when it will write the job's confirmed state.
#include "sync/run_lease.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

#include <Poco/Logger.h>

namespace mobisync::sync {

namespace {

/// A run that found its job leased by another process: nothing was read, planned or recorded.
JobReport skippedForLease(const config::JobConfig& job, const state::LeaseRow& other) {
  JobReport r = emptyReport(job);
  r.outcome = JobOutcome::Skipped;
  const std::int64_t left_ms = std::max<std::int64_t>(other.expires_at_ms - wallClockMs(), 0);
  r.status = Status::unavailable(
      "job " + job.name + " is being applied by " +
      (other.holder.empty() ? std::string("another process") : other.holder) +
      ", whose lease (token " + std::to_string(other.token) + ") expires at " +
      leaseTimeText(other.expires_at_ms) + ", in " + std::to_string((left_ms + 999) / 1000) +
      " s unless renewed; not run, try again later");
  return r;
}

}  // namespace

JobReport emptyReport(const config::JobConfig& job) {
  JobReport r;
  r.job = job.name;
  r.source = job.source;
  return r;
}

std::optional<JobReport> takeRunLease(std::optional<JobLease>& lease,
                                      const config::AppConfig& cfg, const config::JobConfig& job,
                                      state::StateStore& store, bool keep_lease,
                                      const std::atomic<bool>* stop) {
  Poco::Logger& log = Poco::Logger::get("mobisync.sync");
  try {
    // The heartbeat opens its own connection to the run's store.
    lease.emplace(store, state::StateLocation{cfg.state_path, cfg.state_url, cfg.state_password},
                  job.name, std::chrono::milliseconds(cfg.daemon.lease_ttl_ms), stop);
  } catch (const std::exception& e) {
    JobReport r = emptyReport(job);
    r.outcome = JobOutcome::Failed;
    r.status = Status::io(e.what());
    log.error("job %s: %s", job.name, std::string(e.what()));
    return r;
  }
  if (!lease->acquired()) {
    JobReport r = skippedForLease(job, lease->other());
    log.information("job=%s outcome=skipped: %s", job.name, r.status.message());
    return r;
  }
  if (keep_lease) lease->keepUntilExpiry();
  return std::nullopt;
}

}  // namespace mobisync::sync
