// SPDX-License-Identifier: Apache-2.0
// runJob(): the flow of design.md section 1 for one job, as stages: read → plan → gate →
// apply → record → notify. Each stage is a file of its own; this one hands their results on.
#include "sync/job_runner.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <utility>

#include <Poco/Logger.h>

#include "sync/apply_stage.hpp"
#include "sync/gate_stage.hpp"
#include "sync/job_lease.hpp"
#include "sync/planner.hpp"
#include "sync/read_stage.hpp"
#include "sync/reject_writer.hpp"
#include "sync/run_deadline.hpp"
#include "sync/run_lease.hpp"
#include "sync/run_notifications.hpp"
#include "sync/run_outcome.hpp"
#include "sync/run_recorder.hpp"
#include "sync/spelling_memo_upkeep.hpp"

namespace mobisync::sync {

namespace {

using Clock = std::chrono::steady_clock;

Poco::Logger& log() { return Poco::Logger::get("mobisync.sync"); }

/// One run in progress: its report, and what every way out of it goes through.
class Run {
 public:
  Run(const config::AppConfig& cfg, const config::JobConfig& job,
      plugin_host::PluginLoader& loader, state::StateStore& store, const JobOptions& options,
      ProgressListener* progress, Clock::time_point started)
      : job_(job), progress_(progress), started_(started), report_(emptyReport(job)),
        rejects_(options.apply ? job.reject_file : ""),
        recorder_(store, job.name, options.dry_run ? "dry-run" : "sync", options.apply) {
    report_.reject_file = options.apply ? job.reject_file : "";
    // Notifications and HLR checks run for real syncs only: plan and dry-run send nothing.
    if (options.apply && !options.dry_run) notifications_.emplace(cfg, job, loader, store);
  }

  JobReport& report() { return report_; }
  RejectWriter& rejects() { return rejects_; }
  RunRecorder& recorder() { return recorder_; }
  RunNotifications* notifications() { return notifications_ ? &*notifications_ : nullptr; }

  Status begin() {
    if (Status s = rejects_.open(); !s) return s;
    return recorder_.begin(wallClockMs());
  }

  /// Ends the run as it stands: notify, commit the rejects, record, report.
  JobReport finish() {
    report_.rejected = rejects_.count();
    report_.reject_sample = rejects_.sample();
    if (notifications_ && recorder_.runId() != 0) notifications_->send(report_, recorder_.runId());
    if (Status s = rejects_.commit(); !s && report_.status) {
      report_.status = s;
      report_.outcome = JobOutcome::Failed;
    }
    report_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    if (progress_ != nullptr) progress_->onDone(job_.name);
    recorder_.finish(report_, wallClockMs());
    return std::move(report_);
  }

  JobReport fail(Status s) {
    report_.outcome = JobOutcome::Failed;
    report_.status = std::move(s);
    return finish();
  }

 private:
  const config::JobConfig& job_;
  ProgressListener* progress_;
  Clock::time_point started_;
  JobReport report_;
  RejectWriter rejects_;
  RunRecorder recorder_;
  std::optional<RunNotifications> notifications_;
};

void addApplied(JobReport& r, const AppliedPlan& applied) {
  const ApplyTally& t = applied.tally;
  r.calls = applied.calls;
  r.added += t.added;
  r.removed += t.removed;
  r.updated += t.updated;
  r.failed += t.failed;
  r.refused += t.refused;
  r.not_sent += t.not_sent;
  r.confirmed_calls += t.confirmed_calls;
  r.retries += t.retries;
  r.apply_seconds = applied.seconds;
}

}  // namespace

JobReport runJob(const config::AppConfig& cfg, const config::JobConfig& job,
                 plugin_host::PluginLoader& loader, state::StateStore& store,
                 const JobOptions& options, ProgressListener* progress,
                 const std::atomic<bool>* stop) {
  const auto started = Clock::now();
  // A real sync holds the job's lease until its run is recorded; plan and dry-run change no
  // confirmed state and take none.
  std::optional<JobLease> lease;
  if (options.apply && !options.dry_run) {
    if (auto refused = takeRunLease(lease, cfg, job, store, options.keep_lease, stop)) {
      if (progress != nullptr && refused->outcome == JobOutcome::Skipped) {
        progress->onDone(job.name);
      }
      return *refused;
    }
  }
  // The calls stop on the caller's stop, a lost lease and max_run_seconds alike; the source
  // read is bounded by the source's own timeouts and checked against the deadline after.
  const std::atomic<bool>* outer_stop = lease ? &lease->stopFlag() : stop;
  RunDeadline deadline(outer_stop, std::chrono::milliseconds(options.apply ? job.max_run_ms : 0));
  Run run(cfg, job, loader, store, options, progress, started);
  JobReport& r = run.report();
  if (Status s = run.begin(); !s) return run.fail(s);

  // Read: the source into a desired set; its new memo numbers are recorded whatever came next.
  std::function<void(std::int64_t)> on_row;
  if (progress != nullptr) on_row = [&](std::int64_t n) { progress->onFetched(job.name, n); };
  SourceRead read = readStage(job, store, options.full_refresh,
                              pluginFetch(cfg, job, loader, run.rejects(), on_row));
  run.recorder().recordNumberMemo(read.memo_region, read.source.new_canonical);
  if (options.apply) {
    recordSpellingMemo(store, job.name, read);
    dropUnusedSpellingMemos(store, cfg.jobs);
  }
  // The memos' memory goes back before the desired set is sorted and the plan loads the state.
  releaseMemos(read);
  r.fetched = read.source.fetched;
  r.unreadable = read.source.unreadable;
  if (!read.status) return run.fail(read.status);
  read.source.desired.finish();
  r.duplicates = static_cast<std::int64_t>(read.source.desired.duplicatesMerged());
  if (deadline.expired()) {
    r.stopped = true;
    return run.fail(Status::unavailable(
        "stopped: max_run_seconds = " + std::to_string(job.max_run_ms / 1000) +
        " reached while reading the source; nothing applied"));
  }

  // Plan, then gate: removals a safety gate holds are taken out of the plan.
  Result<Plan> plan = planStage(read.source.desired, store, job.name,
                                ReadScope{read.source.incremental, &read.source.tombstones});
  if (!plan) return run.fail(plan.error());
  r.plan = std::move(*plan);
  r.blocked_reason =
      gateReason(r.plan, job, GateOverrides{options.force, options.allow_empty_source},
                 SourceTally{read.source.fetched, read.source.rejected, read.source.unreadable},
                 r.reject_file);
  if (!r.blocked_reason.empty()) r.outcome = JobOutcome::Blocked;
  if (!options.apply) return run.finish();
  if (!r.blocked_reason.empty()) {
    r.held = holdRemovals(r.plan);
    log().warning("job %s blocked: %s", job.name, r.blocked_reason);
  }
  RunNotifications* notifications = run.notifications();
  if (notifications != nullptr) {
    auto inactive = notifications->dropInactiveNumbers(r.plan, run.rejects());
    if (!inactive) return run.fail(inactive.error());
    r.hlr_inactive = *inactive;
  }
  if (progress != nullptr) {
    r.rejected = run.rejects().count();
    r.reject_sample = run.rejects().sample();
    progress->onPlanned(r);
  }
  if (options.dry_run) return run.finish();
  if (notifications != nullptr) notifications->rememberRemoved(r.plan);

  // Apply: every confirmed change is recorded batch by batch; then one outcome for the run.
  ApplyProgress on_applied;
  if (progress != nullptr) {
    on_applied = [&](std::int64_t done, std::int64_t total) {
      progress->onApplied(job.name, done, total);
    };
  }
  const std::atomic<bool>* calls_stop = deadline.stopFlag();
  // The messages of each batch's confirmed changes are queued with them, in one transaction.
  SettledMessages settled_messages;
  if (notifications != nullptr && notifications->active()) {
    settled_messages = [&](const std::vector<std::size_t>& settled,
                           const std::vector<std::uint8_t>& confirmed) {
      return notifications->messagesFor(r.plan, settled, confirmed, read.source.desired);
    };
  }
  const AppliedPlan applied = applyStage(r.plan, cfg.provider, run.recorder(), run.rejects(),
                                         on_applied, calls_stop, settled_messages);
  addApplied(r, applied);
  if (!applied.status) return run.fail(applied.status);
  judgeApply(r, applied.stats,
             ApplyCircumstances{lease && lease->lost() ? lease->lostReason() : std::string(),
                                deadline.expired(), deadline.limit().count() / 1000,
                                outer_stop != nullptr && outer_stop->load(),
                                cfg.provider.username, cfg.provider.max_attempts});
  if (notifications != nullptr) {
    notifications->collect(r.plan, applied.confirmed, read.source.desired);
  }

  // Record: the cursor moves only past changes that are all confirmed; after a refused call, a
  // held removal or a stop, the next run reads the same changes again (the planner skips the
  // done). Then the run's row, its notifications and its summary line.
  const bool stopped = calls_stop != nullptr && calls_stop->load();
  if (read.source.cursor && r.outcome == JobOutcome::Succeeded && r.failed == 0 && !stopped) {
    if (Status s = run.recorder().saveCursor(job.source, *read.source.cursor, wallClockMs()); !s) {
      return run.fail(s);
    }
  }
  return run.finish();
}

}  // namespace mobisync::sync
