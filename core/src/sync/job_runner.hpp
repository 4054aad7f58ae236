// SPDX-License-Identifier: Apache-2.0
// runJob(): one run of one job — read, plan, gate, apply, record.
#pragma once

#include <atomic>
#include <cstdint>

#include "config/app_config.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"
#include "sync/job_report.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

struct JobOptions {
  bool apply = true;               ///< false: plan only, nothing is written
  bool dry_run = false;            ///< recorded in the run history as "dry-run"
  bool force = false;              ///< apply removals over max_delete
  bool allow_empty_source = false; ///< an empty source may remove everything
  bool full_refresh = false;       ///< ignore the stored cursor: read everything, diff as a snapshot
  /// Leave the job's lease to run out (one ttl after the run) instead of releasing it: the
  /// daemon's choice, so another daemon firing the same schedule tick a moment later, its clock
  /// or its wake-up a little behind, finds the job taken instead of running it a second time.
  bool keep_lease = false;
};

/// Receives progress; called on the thread that runs the job.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void onFetched(const std::string& job, std::int64_t rows) = 0;
  /// The plan after the safety gates, before any call: `report` holds the counts so far.
  virtual void onPlanned(const JobReport& report) { (void)report; }
  virtual void onApplied(const std::string& job, std::int64_t done, std::int64_t total) = 0;
  virtual void onDone(const std::string& job) = 0;
};

/// Runs `job` once. Never throws; failures are in the report. Removals are never applied when the
/// source failed or a safety gate held them. Every confirmed call is recorded in `store` as its
/// batch completes, so a killed run resumes by re-planning.
JobReport runJob(const config::AppConfig& cfg, const config::JobConfig& job,
                 plugin_host::PluginLoader& loader, state::StateStore& store,
                 const JobOptions& options, ProgressListener* progress = nullptr,
                 const std::atomic<bool>* stop = nullptr);

}  // namespace mobisync::sync
