// SPDX-License-Identifier: Apache-2.0
// runJob(): the flow of design.md section 1 for one job.
#include "sync/job_runner.hpp"

#include <cctype>
#include <chrono>
#include <optional>

#include <Poco/Format.h>
#include <Poco/Logger.h>

#include "mobisync/text.hpp"
#include "model/msisdn.hpp"
#include "remote/applier.hpp"
#include "state/cursor_store.hpp"
#include "sync/job_lease.hpp"
#include "sync/planner.hpp"
#include "sync/reject_writer.hpp"
#include "sync/run_deadline.hpp"
#include "sync/run_notifications.hpp"
#include "sync/source_reader.hpp"

namespace mobisync::sync {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowMs() { return wallClockMs(); }

/// Where the run's store lives, so the lease heartbeat opens its own connection to it.
state::StateLocation stateLocationOf(const config::AppConfig& cfg) {
  return state::StateLocation{cfg.state_path, cfg.state_url, cfg.state_password};
}

/// A run that found its job leased by another process: nothing was read, planned or recorded.
JobReport skippedForLease(const config::JobConfig& job, const state::LeaseRow& other) {
  JobReport r;
  r.job = job.name;
  r.source = job.source;
  r.outcome = JobOutcome::Skipped;
  const std::int64_t left_ms = std::max<std::int64_t>(other.expires_at_ms - nowMs(), 0);
  r.status = Status::unavailable(
      "job " + job.name + " is being applied by " +
      (other.holder.empty() ? std::string("another process") : other.holder) +
      ", whose lease (token " + std::to_string(other.token) + ") expires at " +
      leaseTimeText(other.expires_at_ms) + ", in " + std::to_string((left_ms + 999) / 1000) +
      " s unless renewed; not run, try again later");
  return r;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

/// Holds removals when a safety gate says so; returns the reason, empty when nothing is held.
std::string applyGates(Plan& plan, const config::JobConfig& job, const JobOptions& o,
                       const SourceReadResult& src, const std::string& reject_file) {
  const auto& s = plan.summary;
  std::string reason;
  const std::int64_t reject_allowed = job.max_reject.allowed(src.fetched);
  // An incremental read with no changes is the normal case, not an emptied source.
  if (!plan.incremental && s.desired_contacts == 0 && s.state_pairs > 0 &&
      !o.allow_empty_source) {
    reason = Poco::format(
        "the source returned no contacts (%Ld rows rejected); refusing to remove the job's %Ld "
        "subscriptions. Fix the source, or run again with --allow-empty-source if it is really "
        "empty.",
        src.rejected, s.state_pairs);
  } else if (s.remove_pairs > 0 && src.unreadable > reject_allowed && !o.force) {
    // Rows whose number could not be read may be contacts the source still holds: removing
    // what they did not protect could unsubscribe them.
    reason = Poco::format(
        "%Ld of %Ld rows have a phone number that cannot be read, over max_reject = %s (at most "
        "%Ld); they may be contacts the source still holds, so the run's %Ld removals are held. "
        "See the rejected rows%s, fix the source (a CSV export in another encoding needs the "
        "source's `encoding` key), then run again; --force applies the removals anyway.",
        src.unreadable, src.fetched, job.max_reject.text(), reject_allowed, s.remove_pairs,
        reject_file.empty() ? std::string() : " in " + reject_file);
  } else {
    std::int64_t allowed = job.max_delete.allowed(s.state_pairs);
    if (s.remove_pairs > allowed && !o.force) {
      reason = Poco::format(
          "%Ld removals exceed max_delete = %s of %Ld subscriptions (at most %Ld); check the "
          "source and `mobisync plan %s`, then run again with --force to apply them.",
          s.remove_pairs, job.max_delete.text(), s.state_pairs, allowed, job.name);
    }
  }
  return reason;
}

std::int64_t holdRemovals(Plan& plan) {
  std::int64_t held = 0;
  std::vector<PlanEntry> kept;
  for (auto& e : plan.entries) {
    held += static_cast<std::int64_t>(e.remove.size() + e.release.size());
    e.remove.clear();
    e.release.clear();
    if (!e.add.empty() || e.details_changed) kept.push_back(std::move(e));
  }
  plan.entries = std::move(kept);
  return held;
}

/// Applies the plan's calls and records every confirmed change at once.
remote::ApplyStats applyPlan(const Plan& plan, const config::AppConfig& cfg,
                             const config::JobConfig& job, state::StateStore& store,
                             RejectWriter& rejects, JobReport& r, ProgressListener* progress,
                             const std::atomic<bool>* stop,
                             std::vector<std::uint8_t>& confirmed) {
  using remote::ProviderCall;
  confirmed.assign(plan.entries.size(), 0);
  std::vector<ProviderCall> calls;
  std::vector<std::size_t> entry_of;
  std::vector<state::PairChange> releases;
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const PlanEntry& e = plan.entries[i];
    if (!e.add.empty() || e.details_changed) {
      ProviderCall c{ProviderCall::Kind::Create, e.msisdn, e.add, e.name, e.reference};
      if (e.details_changed) c.applications.insert(c.applications.end(), e.keep.begin(), e.keep.end());
      calls.push_back(std::move(c));
      entry_of.push_back(i);
    }
    if (!e.remove.empty()) {
      calls.push_back(ProviderCall{ProviderCall::Kind::Remove, e.msisdn, e.remove, {}, {}});
      entry_of.push_back(i);
    }
    for (const auto& a : e.release) {
      releases.push_back({state::PairChange::Kind::Erase, {e.msisdn, a, {}, {}}});
    }
  }
  if (!releases.empty()) {
    store.apply(job.name, releases);
    r.removed += static_cast<std::int64_t>(releases.size());
  }
  r.calls = static_cast<std::int64_t>(calls.size());
  if (calls.empty()) return {};

  std::int64_t done = 0;
  remote::Applier applier(cfg.provider);
  auto on_batch = [&](const std::vector<remote::Completed>& batch) {
    std::vector<state::PairChange> changes;
    for (const auto& c : batch) {
      const ProviderCall& call = calls[c.index];
      const PlanEntry& e = plan.entries[entry_of[c.index]];
      const bool create = call.kind == ProviderCall::Kind::Create;
      r.retries += std::max(0, c.result.attempts - 1);
      const auto pairs = static_cast<std::int64_t>(call.applications.size());
      if (!c.result.status) {
        r.failed += pairs;
        confirmed[entry_of[c.index]] |= kCallFailed;
        if (c.result.status.code() == Errc::Rejected) {
          // The provider refused this number: a fact about the row, for the reject file.
          r.refused += pairs;
          rejects.writeRefusal(std::string(create ? "create " : "remove ") +
                                   joined(call.applications) + ": " + c.result.status.message(),
                               call.msisdn);
        } else if (c.result.attempts == 0) {
          r.not_sent += pairs;  // the run stopped first: planned again next time
        }
        continue;
      }
      bool updated = false;
      bool any_ok = false;
      for (const auto& t : c.result.tokens) {
        if (!t.ok) {
          ++r.failed;
          ++r.refused;
          confirmed[entry_of[c.index]] |= kCallFailed;
          rejects.writeRefusal(std::string(create ? "create " : "remove ") + t.application +
                                   ": " + t.detail,
                               call.msisdn);
          continue;
        }
        any_ok = true;
        if (create) {
          changes.push_back({state::PairChange::Kind::Upsert,
                             {call.msisdn, t.application, call.name, call.reference}});
          bool was_kept = std::find(e.keep.begin(), e.keep.end(), t.application) != e.keep.end();
          if (was_kept) {
            updated = true;
          } else {
            ++r.added;
            confirmed[entry_of[c.index]] |= kAddConfirmed;
          }
        } else {
          changes.push_back({state::PairChange::Kind::Erase, {call.msisdn, t.application, {}, {}}});
          ++r.removed;
          confirmed[entry_of[c.index]] |= kRemoveConfirmed;
        }
      }
      if (updated) ++r.updated;
      if (any_ok) ++r.confirmed_calls;
    }
    if (!changes.empty()) store.apply(job.name, changes);
    done += static_cast<std::int64_t>(batch.size());
    if (progress != nullptr) progress->onApplied(job.name, done, r.calls);
  };
  auto started = Clock::now();
  remote::ApplyStats stats = applier.run(calls, on_batch, stop);
  r.apply_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (stats.auth_failed) r.auth_failed = true;
  // Unconfirmed calls that were sent and not refused: the provider failed them (retries used
  // up, the circuit breaker, a refused certificate). Calls cut short by the caller's stop are
  // the stop's, not the provider's.
  const std::size_t unavailable_sent = stats.unavailable - stats.not_made;
  if (stats.provider_failed || (unavailable_sent > 0 && !stats.stopped && !stats.auth_failed)) {
    r.provider_unavailable = true;
  }
  return stats;
}

/// The outcome and its reason once the calls are done: Succeeded only when every planned call
/// was confirmed.
void judgeApply(JobReport& r, const remote::ApplyStats& stats, const RunDeadline& deadline,
                const JobLease* lease, const std::atomic<bool>* outer_stop,
                const config::AppConfig& cfg) {
  if (lease != nullptr && lease->lost()) {
    r.outcome = JobOutcome::Failed;
    r.status = Status::unavailable(lease->lostReason());
    return;
  }
  if (!stats.config_error.empty()) {
    // Nothing was sent: the [provider] settings are the config's to fix (exit 78).
    r.outcome = JobOutcome::Failed;
    r.status = Status::invalidConfig("provider: " + stats.config_error + "; no call was made");
    return;
  }
  if (r.failed == 0) return;  // Succeeded, or Blocked with every other call confirmed
  const bool any_confirmed = r.confirmed_calls > 0;
  r.outcome = any_confirmed ? JobOutcome::Partial : JobOutcome::Failed;
  const std::string tally = Poco::format("%Ld of %Ld planned calls confirmed", r.confirmed_calls,
                                         r.calls);
  std::string why;
  if (r.auth_failed) {
    why = "the provider refused the credentials of user " + cfg.provider.username +
          "; the run stopped at the first refusal";
  } else if (stats.provider_failed && !stats.halt_reason.empty()) {
    why = stats.halt_reason.rfind("not sent: ", 0) == 0 ? stats.halt_reason.substr(10)
                                                        : stats.halt_reason;
  } else if (deadline.expired()) {
    r.stopped = true;
    why = "stopped: max_run_seconds = " + std::to_string(deadline.limit().count() / 1000) +
          " reached";
  } else if (stats.stopped || (outer_stop != nullptr && outer_stop->load())) {
    r.stopped = true;
    why = "stopped before every call was made";
  } else if (r.provider_unavailable) {
    why = "the provider did not answer every call within max_attempts = " +
          std::to_string(cfg.provider.max_attempts);
  }
  if (r.refused > 0) {
    why += std::string(why.empty() ? "" : "; ") + "the provider refused " +
           std::to_string(r.refused) + " subscriptions (see the reject file)";
  }
  r.status = Status(r.refused > 0 && why.find("refused the credentials") == std::string::npos &&
                            !r.provider_unavailable && !r.stopped
                        ? Errc::Rejected
                        : Errc::Unavailable,
                    why + " (" + tally + "); confirmed calls are recorded, the rest are planned "
                                         "again on the next run");
}

}  // namespace

JobReport runJob(const config::AppConfig& cfg, const config::JobConfig& job,
                 plugin_host::PluginLoader& loader, state::StateStore& store,
                 const JobOptions& options, ProgressListener* progress,
                 const std::atomic<bool>* stop) {
  Poco::Logger& log = Poco::Logger::get("mobisync.sync");
  auto t0 = Clock::now();
  // A real sync holds the job's lease from before it reads the source until its run is
  // recorded, so two processes on one state never plan or apply the same job at once. Plan and
  // dry-run change no confirmed state and take none.
  std::optional<JobLease> lease;
  if (options.apply && !options.dry_run) {
    try {
      lease.emplace(store, stateLocationOf(cfg), job.name,
                    std::chrono::milliseconds(cfg.daemon.lease_ttl_ms), stop);
    } catch (const std::exception& e) {
      JobReport r;
      r.job = job.name;
      r.source = job.source;
      r.outcome = JobOutcome::Failed;
      r.status = Status::io(e.what());
      log.error("job %s: %s", job.name, std::string(e.what()));
      return r;
    }
    if (!lease->acquired()) {
      JobReport r = skippedForLease(job, lease->other());
      log.information("job=%s outcome=skipped: %s", job.name, r.status.message());
      if (progress != nullptr) progress->onDone(job.name);
      return r;
    }
    if (options.keep_lease) lease->keepUntilExpiry();
    // The applier stops on the caller's stop and on a lost lease alike.
    stop = &lease->stopFlag();
  }
  const std::atomic<bool>* outer_stop = stop;
  // max_run_seconds stops the calls like a signal does; the source read is bounded by the
  // source's own timeouts and checked against the deadline when it returns.
  RunDeadline deadline(stop, std::chrono::milliseconds(options.apply ? job.max_run_ms : 0));
  stop = deadline.stopFlag();
  JobReport r;
  r.job = job.name;
  r.source = job.source;
  r.reject_file = options.apply ? job.reject_file : "";
  RejectWriter rejects(r.reject_file);
  std::int64_t run_id = 0;
  const char* mode = options.dry_run ? "dry-run" : "sync";

  // Notifications and HLR checks run for real syncs only: plan and dry-run send nothing.
  std::optional<RunNotifications> notifications;
  if (options.apply && !options.dry_run) notifications.emplace(cfg, job, loader, store);

  auto finish = [&]() -> JobReport {
    r.rejected = rejects.count();
    r.reject_sample = rejects.sample();
    if (notifications && run_id != 0) notifications->send(r, run_id);
    if (Status s = rejects.commit(); !s && r.status) {
      r.status = s;
      r.outcome = JobOutcome::Failed;
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (progress != nullptr) progress->onDone(job.name);
    if (options.apply) {
      try {
        state::RunRecord rec;
        rec.id = run_id;
        rec.job = job.name;
        rec.mode = mode;
        rec.outcome = outcomeName(r.outcome);
        rec.ended_at_ms = nowMs();
        rec.fetched = r.fetched;
        rec.rejected = r.rejected;
        rec.added = r.added;
        rec.removed = r.removed;
        rec.updated = r.updated;
        rec.failed = r.failed;
        rec.held = r.held;
        // Bounded: a message quoting a huge cell must not grow the state on every run.
        rec.message = text::excerpt(!r.status ? r.status.message() : r.blocked_reason, 1000);
        if (run_id != 0) store.finishRun(rec);
      } catch (const std::exception& e) {
        log.error("job %s: cannot record the run: %s", job.name, std::string(e.what()));
      }
      const std::string line = Poco::format(
          "job=%s source=%s outcome=%s fetched=%Ld rejected=%Ld added=%Ld removed=%Ld "
          "updated=%Ld failed=%Ld held=%Ld calls=%Ld retries=%Ld ms=%Ld",
          job.name, job.source, std::string(outcomeName(r.outcome)), r.fetched, r.rejected,
          r.added, r.removed, r.updated, r.failed, r.held, r.calls, r.retries,
          static_cast<std::int64_t>(r.seconds * 1000));
      // A run that did not do what it planned says why, at error level, on its summary line.
      if (r.outcome == JobOutcome::Failed || r.outcome == JobOutcome::Partial) {
        log.error(line + " reason=\"" + text::excerpt(r.status.message(), 1000) + "\"");
      } else if (r.outcome == JobOutcome::Blocked) {
        log.warning(line + " reason=\"" + text::excerpt(r.blocked_reason, 1000) + "\"");
      } else {
        log.information(line);
      }
    }
    return r;
  };
  auto fail = [&](Status s) {
    r.outcome = JobOutcome::Failed;
    r.status = std::move(s);
    return finish();
  };

  if (Status s = rejects.open(); !s) return fail(s);
  try {
    if (options.apply) run_id = store.beginRun(job.name, mode, nowMs());
  } catch (const std::exception& e) {
    return fail(Status::io(e.what()));
  }

  std::function<void(std::int64_t)> on_row;
  if (progress != nullptr) on_row = [&](std::int64_t n) { progress->onFetched(job.name, n); };
  std::vector<std::int64_t> canonical;
  std::string region = job.default_region;
  for (auto& ch : region) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  try {
    canonical = store.canonicalNumbers(region, model::MsisdnNormalizer::engineTag());
  } catch (const std::exception& e) {
    log.warning("job %s: number memo unavailable, normalising every number: %s", job.name,
                std::string(e.what()));
  }
  std::optional<plugin::Cursor> stored_cursor;
  if (!options.full_refresh) {
    try {
      if (auto c = state::CursorStore(store).load(job.name, job.source)) {
        stored_cursor = plugin::Cursor{c->value, c->type};
      }
    } catch (const std::exception& e) {
      return fail(Status::io(e.what()));
    }
  }
  SourceReadResult src =
      readSource(cfg, job, loader, rejects, canonical, on_row, stored_cursor);
  canonical = {};
  // The memo is written by sync and dry-run only: `plan` leaves the state file untouched.
  if (options.apply && !src.new_canonical.empty()) {
    try {
      store.addCanonicalNumbers(region, model::MsisdnNormalizer::engineTag(), src.new_canonical);
    } catch (const std::exception& e) {
      log.warning("job %s: cannot record the number memo: %s", job.name, std::string(e.what()));
    }
  }
  r.fetched = src.fetched;
  r.unreadable = src.unreadable;
  r.duplicates = static_cast<std::int64_t>(src.desired.duplicatesMerged());
  if (!src.status) {
    // A source that failed midway must not look like "these people left": nothing is planned.
    return fail(Status(src.status.code(), "source " + job.source + " failed, nothing applied: " +
                                              text::excerpt(src.status.message(), 1000)));
  }
  if (deadline.expired()) {
    r.stopped = true;
    return fail(Status::unavailable(
        "stopped: max_run_seconds = " + std::to_string(job.max_run_ms / 1000) +
        " reached while reading the source; nothing applied"));
  }

  try {
    r.plan = makePlan(src.desired, store, job.name, ReadScope{src.incremental, &src.tombstones});
  } catch (const std::exception& e) {
    return fail(Status::io(std::string("cannot read state: ") + e.what()));
  }
  r.blocked_reason = applyGates(r.plan, job, options, src, r.reject_file);
  if (!r.blocked_reason.empty()) r.outcome = JobOutcome::Blocked;
  if (!options.apply) {
    r.rejected = rejects.count();
    return finish();
  }
  if (!r.blocked_reason.empty()) {
    r.held = holdRemovals(r.plan);
    log.warning("job %s blocked: %s", job.name, r.blocked_reason);
  }
  if (notifications) {
    auto inactive = notifications->dropInactiveNumbers(r.plan, rejects);
    if (!inactive) return fail(inactive.error());
    r.hlr_inactive = *inactive;
  }
  if (progress != nullptr) {
    r.rejected = rejects.count();
    r.reject_sample = rejects.sample();
    progress->onPlanned(r);
  }
  if (options.dry_run) return finish();
  if (notifications) notifications->rememberRemoved(r.plan);

  try {
    std::vector<std::uint8_t> confirmed;
    const remote::ApplyStats stats =
        applyPlan(r.plan, cfg, job, store, rejects, r, progress, stop, confirmed);
    judgeApply(r, stats, deadline, lease ? &*lease : nullptr, outer_stop, cfg);
    if (notifications) notifications->collect(r.plan, confirmed, src.desired);
  } catch (const std::exception& e) {
    return fail(Status::io(std::string("cannot record confirmed changes: ") + e.what()));
  }
  // The cursor moves only past changes that are all confirmed: after a refused call, a held
  // removal or a stop, the next run reads the same changes again (the planner skips the done).
  const bool stopped = stop != nullptr && stop->load();
  if (src.cursor && r.outcome == JobOutcome::Succeeded && r.failed == 0 && !stopped) {
    try {
      state::CursorStore(store).save(job.name, job.source, src.cursor->value, src.cursor->type,
                                     nowMs());
    } catch (const std::exception& e) {
      return fail(Status::io(e.what()));
    }
  }
  return finish();
}

}  // namespace mobisync::sync
