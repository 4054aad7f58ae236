// SPDX-License-Identifier: Apache-2.0
// Daemon: the loop on sigtimedwait, job threads through sync::runJob, reload on SIGHUP.
#include "daemon/daemon.hpp"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <ctime>
#include <filesystem>
#include <thread>
#include <utility>

#include <Poco/Logger.h>

#include "daemon/log_snapshot.hpp"
#include "daemon/run_metrics.hpp"
#include "metrics/catalog.hpp"
#include "notify/messaging_hooks.hpp"
#include "state/lease_store.hpp"
#include "state/run_counts.hpp"
#include "state/state_session.hpp"
#include "state/state_store.hpp"
#include "mobisync/text.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_runner.hpp"
#include "values/job_context.hpp"

namespace mobisync::daemon {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.daemon"); }

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<JobSchedule> schedulesOf(const config::AppConfig& cfg) {
  std::vector<JobSchedule> out;
  for (const auto& j : cfg.jobs) {
    if (!j.enabled || j.schedule.empty()) continue;
    // Validated when the config was loaded; a failure here would be a bug.
    auto cron = values::CronExpression::parse(j.schedule);
    auto zone = values::TimeZone::named(j.timezone);
    if (!cron || !zone) continue;
    out.push_back({j.name, *cron, *zone});
  }
  return out;
}

/// Binds `listen` (never empty) before anything else changes. @throws metrics::ListenError
std::unique_ptr<metrics::MetricsServer> startListener(const std::string& listen,
                                                      metrics::MetricsServer::PostHandler post,
                                                      metrics::MetricsServer::Health live,
                                                      metrics::MetricsServer::Health ready) {
  auto server = std::make_unique<metrics::MetricsServer>(
      listen, metrics::global(), std::move(live), std::move(post), std::move(ready));
  log().information("metrics on http://%s:%d/metrics", listen.substr(0, listen.rfind(':')),
                    server->port());
  return server;
}

/// The messaging service of `loaded`, started; null when it names no [[notifier]].
std::unique_ptr<notify::MessagingService> startMessaging(const LoadedConfig& loaded) {
  if (loaded.cfg.notifiers.empty()) return nullptr;
  std::error_code ec;
  if (auto dir = std::filesystem::path(loaded.cfg.state_path).parent_path(); !dir.empty()) {
    std::filesystem::create_directories(dir, ec);
  }
  auto service = std::make_unique<notify::MessagingService>(
      loaded.cfg, *loaded.loader, notify::standardMessagingHooks(loaded.cfg));
  service->start();
  return service;
}

state::StateLocation stateLocation(const config::AppConfig& cfg) {
  return {cfg.state_path, cfg.state_url, cfg.state_password};
}

}  // namespace

std::unique_ptr<metrics::MetricsServer> Daemon::listenOn(const std::string& listen) {
  return startListener(
      listen, WebhookRoute::handlerOf(webhooks_), [this] { return heartbeat_.problem(); },
      [this] { return readiness(); });
}

std::string Daemon::readiness() const {
  std::string why = heartbeat_.problem();
  auto add = [&](const std::string& problem) {
    if (!problem.empty()) why += (why.empty() ? "" : "; ") + problem;
  };
  add(probe_.problem());
  for (const auto& job : scheduler_.overdue()) add(job);
  return why;
}

std::string Daemon::readyStatus() const {
  const auto jobs = scheduledJobs(current_->cfg);
  return "running " + std::to_string(jobs.size()) + " scheduled job(s)";
}

void Daemon::seedFromState(const config::AppConfig& cfg) {
  // The last success survives a restart: without it a job failing since would look fresh.
  try {
    std::error_code ec;
    if (auto dir = std::filesystem::path(cfg.state_path).parent_path(); !dir.empty()) {
      std::filesystem::create_directories(dir, ec);
    }
    state::StateStore store(stateLocation(cfg));
    seedLastSuccess(metrics::global(), cfg, store);
  } catch (const std::exception& e) {
    log().warning("cannot read the last successes from the state (the gauges start at 0): %s",
                  text::excerpt(e.what(), 1000));
  }
}

Daemon::Daemon(ConfigLoader loader)
    : loader_(std::move(loader)), scheduler_(clock_, [this](const std::string& j) { launch(j); }) {}

Daemon::~Daemon() = default;

int Daemon::run() {
  const sigset_t& signals = signals_.set();

  auto first = loader_();
  if (!first) {
    log().error("not starting: %s", first.error().message());
    return sync::kExitConfig;
  }
  metrics::global().set(metrics::kStartTime, {}, nowSeconds());
  declareSeries(metrics::global(), (*first)->cfg);
  seedFromState((*first)->cfg);
  if (const std::string& listen = (*first)->cfg.metrics.listen; !listen.empty()) {
    try {
      metrics_ = listenOn(listen);
    } catch (const metrics::ListenError& e) {
      log().error("not starting: %s", std::string(e.what()));
      return sync::kExitUnavailable;
    }
  }
  apply(std::move(first).value());
  notify_.ready(readyStatus());

  bool stopping = false;
  while (!stopping) {
    heartbeat_.beat();
    notify_.watchdogIfDue();
    scheduler_.tick();
    // Sleep until the next job is due, at most a heartbeat (which also notices a wall-clock
    // step) or the watchdog's half period.
    auto wait = std::chrono::milliseconds(Heartbeat::kBeat);
    if (auto ping = notify_.watchdogInterval()) wait = std::min(wait, *ping);
    if (auto next = scheduler_.nextDue()) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
    }
    timespec ts{static_cast<time_t>(wait.count() / 1000),
                static_cast<long>((wait.count() % 1000) * 1000000)};
    siginfo_t info{};
    const int sig = sigtimedwait(&signals, &info, &ts);
    if (sig == SIGHUP) {
      reload();
    } else if (sig == SIGTERM || sig == SIGINT) {
      notify_.stopping();
      log().information("%s received: finishing the batches in flight (at most %Ld s)",
                        std::string(sig == SIGTERM ? "SIGTERM" : "SIGINT"),
                        current_->cfg.daemon.stop_timeout_seconds);
      stopping = true;
    }
  }

  stop_.store(true);
  messaging_.reset();
  const bool clean = waitForRuns(std::chrono::seconds(current_->cfg.daemon.stop_timeout_seconds));
  metrics_.reset();
  if (!clean) {
    log().error("runs still in flight after the stop timeout; exiting without them (every "
                "confirmed batch is recorded; the next start plans the rest again)");
    // The runs' threads still use this object and the plugins: leave without destructors.
    std::cerr.flush();
    std::_Exit(kExitStopTimeout);
  }
  releaseLeases();
  log().information("stopped");
  return sync::kExitOk;
}

void Daemon::apply(std::shared_ptr<const LoadedConfig> loaded) {
  auto schedules = schedulesOf(loaded->cfg);
  // The old service takes its last receipts and unbinds before the new one binds.
  messaging_.reset();
  if (current_) retired_.push_back(current_);
  current_ = std::move(loaded);
  webhooks_->configure(std::shared_ptr<const config::AppConfig>(current_, &current_->cfg));
  declareSeries(metrics::global(), current_->cfg);
  probe_.watch(stateLocation(current_->cfg));
  messaging_ = startMessaging(*current_);
  std::string names;
  for (const auto& s : schedules) {
    names += (names.empty() ? "" : ", ") + s.job + " (" + s.cron.text() + ", " + s.zone.name() + ")";
  }
  scheduler_.configure(std::move(schedules));
  log().information("%s: scheduled jobs: %s", current_->cfg.file,
                    names.empty() ? std::string("none") : names);
}

void Daemon::reload() {
  // All or nothing: everything that can fail (the config, the new listener's address) is done
  // before anything running changes, so a refusal leaves the daemon exactly as it was.
  notify_.reloading();
  const LogSnapshot logging;
  auto refuse = [&](const std::string& reason) {
    logging.restore();
    notify_.ready(readyStatus());
    metrics::global().increment(metrics::kConfigReloads, {{"result", "refused"}});
    log().error("config reload refused: %s; the running config stays", reason);
  };
  auto next = loader_();
  if (!next) return refuse(next.error().message());
  const std::string& listen = (*next)->cfg.metrics.listen;
  const bool move = listen != (metrics_ ? metrics_->listen() : std::string());
  std::unique_ptr<metrics::MetricsServer> listener;
  if (move && !listen.empty()) {
    try {
      listener = listenOn(listen);
    } catch (const metrics::ListenError& e) {
      return refuse(e.what());
    }
  }
  if (move) {
    metrics_ = std::move(listener);
    if (!metrics_) log().information("metrics off");
  }
  apply(std::move(next).value());
  metrics::global().increment(metrics::kConfigReloads, {{"result", "applied"}});
  log().information("SIGHUP: config reloaded");
  notify_.ready(readyStatus());
}

void Daemon::launch(const std::string& job) {
  {
    std::lock_guard lock(runs_mutex_);
    ++runs_in_flight_;
  }
  metrics::global().set(metrics::kJobRunning, {{"job", job}}, 1);
  // Detached: the loop never blocks on a run; waitForRuns() counts them down at a stop.
  std::thread([this, loaded = current_, job] { runOne(loaded, job); }).detach();
}

void Daemon::runOne(std::shared_ptr<const LoadedConfig> loaded, std::string job_name) {
  const config::JobConfig* job = loaded->cfg.findJob(job_name);
  const values::JobScope scope(job_name);
  if (job != nullptr) {
    try {
      const auto& cfg = loaded->cfg;
      std::error_code ec;
      if (auto dir = std::filesystem::path(cfg.state_path).parent_path(); !dir.empty()) {
        std::filesystem::create_directories(dir, ec);
      }
      // One state connection per run: SQLite (WAL, busy timeout) or PostgreSQL (row locks,
      // lock timeout) serialises the writers.
      const state::StateLocation where = stateLocation(cfg);
      rememberLeasePlace(where);
      state::StateStore store(where);
      sync::JobOptions options;
      options.apply = true;
      options.keep_lease = true;
      sync::JobReport r = sync::runJob(cfg, *job, *loaded->loader, store, options, nullptr, &stop_);
      // The lease is kept so that a host a moment behind skips this tick; a run cut short
      // (max_run_seconds) left work for the next one to take up, so it hands the job over.
      if (r.stopped) releaseOwnLease(store, where, job_name);
      recordReport(metrics::global(), r);
    } catch (const std::exception& e) {
      sync::JobReport r;
      r.job = job_name;
      r.outcome = sync::JobOutcome::Failed;
      recordReport(metrics::global(), r);
      log().error("job=%s outcome=failed reason=\"%s\"", job_name,
                  text::excerpt(e.what(), 1000));
    }
  }
  metrics::global().set(metrics::kJobRunning, {{"job", job_name}}, 0);
  scheduler_.finished(job_name);
  std::lock_guard lock(runs_mutex_);
  --runs_in_flight_;
  runs_done_.notify_all();
}

void Daemon::rememberLeasePlace(const state::StateLocation& where) {
  std::lock_guard lock(runs_mutex_);
  for (const auto& w : lease_places_) {
    if (w.display() == where.display()) return;
  }
  lease_places_.push_back(where);
}

void Daemon::releaseOwnLease(state::StateStore& store, const state::StateLocation& where,
                             const std::string& job) {
  try {
    state::LeaseStore leases(store);
    auto row = leases.find(job);
    if (!row || row->holder != state::processHolderId() ||
        row->expires_at_ms <= sync::wallClockMs()) {
      return;
    }
    leases.release(job, row->token);
    log().information("job %s: lease released (token %s)", job, std::to_string(row->token));
  } catch (const std::exception& e) {
    log().warning("job %s: cannot release its lease in %s (it expires by itself within [daemon] "
                  "lease_ttl): %s",
                  job, where.display(), std::string(e.what()));
  }
}

void Daemon::releaseLeases() {
  // Runs keep their lease until it expires so that another host a moment behind skips the
  // tick; a daemon that stops runs nothing more, so it hands its jobs over now instead.
  const std::string& me = state::processHolderId();
  std::vector<state::StateLocation> places;
  {
    std::lock_guard lock(runs_mutex_);
    places = lease_places_;
  }
  for (const auto& where : places) {
    try {
      auto session = state::openStateSession(where);
      state::LeaseStore leases(session, where.display());
      const std::int64_t now = sync::wallClockMs();
      for (const auto& row : leases.all()) {
        if (row.holder != me || row.expires_at_ms <= now) continue;
        leases.release(row.job, row.token);
        log().information("job %s: lease released (token %s)", row.job,
                          std::to_string(row.token));
      }
    } catch (const std::exception& e) {
      log().warning("cannot release the job leases in %s (they expire by themselves within "
                    "[daemon] lease_ttl): %s",
                    where.display(), std::string(e.what()));
    }
  }
}

bool Daemon::waitForRuns(std::chrono::seconds timeout) {
  std::unique_lock lock(runs_mutex_);
  return runs_done_.wait_for(lock, timeout, [this] { return runs_in_flight_ == 0; });
}

}  // namespace mobisync::daemon
