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

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include "metrics/catalog.hpp"
#include "state/state_store.hpp"
#include "sync/job_runner.hpp"

namespace mobisync::daemon {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.daemon"); }

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sigset_t daemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

std::vector<JobSchedule> schedulesOf(const config::AppConfig& cfg) {
  std::vector<JobSchedule> out;
  for (const auto& j : cfg.jobs) {
    if (!j.enabled || j.schedule.empty()) continue;
    // Validated when the config was loaded; a failure here would be a bug.
    auto cron = CronExpression::parse(j.schedule);
    auto zone = TimeZone::named(j.timezone);
    if (!cron || !zone) continue;
    out.push_back({j.name, *cron, *zone});
  }
  return out;
}

void recordReport(const sync::JobReport& r) {
  auto& m = metrics::global();
  const metrics::Labels job{{"job", r.job}};
  if (r.outcome == sync::JobOutcome::Skipped) {
    // Another daemon has the job this tick; this one tries again at the next.
    m.increment(metrics::kJobRunsLeaseSkipped, job);
    return;
  }
  m.increment(metrics::kJobRuns, {{"job", r.job}, {"outcome", sync::outcomeName(r.outcome)}});
  m.increment(metrics::kContactsFetched, job, static_cast<double>(r.fetched));
  m.increment(metrics::kContactsAdded, job, static_cast<double>(r.added));
  m.increment(metrics::kContactsRemoved, job, static_cast<double>(r.removed));
  m.increment(metrics::kContactsRejected, job, static_cast<double>(r.rejected));
  m.increment(metrics::kContactsFailed, job, static_cast<double>(r.failed));
  if (r.outcome == sync::JobOutcome::Succeeded) m.set(metrics::kJobLastSuccess, job, nowSeconds());
}

}  // namespace

Daemon::Daemon(ConfigLoader loader)
    : loader_(std::move(loader)), scheduler_(clock_, [this](const std::string& j) { launch(j); }) {}

Daemon::~Daemon() = default;

int Daemon::run() {
  const sigset_t signals = daemonSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto first = loader_();
  if (!first) {
    log().error("not starting: %s", first.error().message());
    return sync::kExitConfig;
  }
  metrics::global().set(metrics::kStartTime, {}, nowSeconds());
  try {
    apply(std::move(first).value());
  } catch (const Poco::Exception& e) {
    log().error("not starting: metrics listener %s: %s", current_->cfg.metrics.listen,
                e.displayText());
    return sync::kExitSoftware;
  }

  bool stopping = false;
  while (!stopping) {
    scheduler_.tick();
    // Sleep until the next job is due, at most a minute (a wall-clock step is noticed then).
    auto wait = std::chrono::milliseconds(60000);
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
      log().information("%s received: finishing the batches in flight (at most %Ld s)",
                        std::string(sig == SIGTERM ? "SIGTERM" : "SIGINT"),
                        current_->cfg.daemon.stop_timeout_seconds);
      stopping = true;
    }
  }

  stop_.store(true);
  const bool clean = waitForRuns(std::chrono::seconds(current_->cfg.daemon.stop_timeout_seconds));
  metrics_.reset();
  if (!clean) {
    log().error("runs still in flight after the stop timeout; exiting without them (every "
                "confirmed batch is recorded; the next start plans the rest again)");
    // The runs' threads still use this object and the plugins: leave without destructors.
    std::cerr.flush();
    std::_Exit(kExitStopTimeout);
  }
  log().information("stopped");
  return sync::kExitOk;
}

void Daemon::apply(std::shared_ptr<const LoadedConfig> loaded) {
  const std::string listen = loaded->cfg.metrics.listen;
  if (!metrics_ || metrics_->listen() != listen) {
    metrics_.reset();
    if (!listen.empty()) {
      metrics_ = std::make_unique<metrics::MetricsServer>(listen, metrics::global(), [] {
        return std::string();
      });
      log().information("metrics on http://%s:%d/metrics",
                        listen.substr(0, listen.rfind(':')), metrics_->port());
    }
  }
  auto schedules = schedulesOf(loaded->cfg);
  if (current_) retired_.push_back(current_);
  current_ = std::move(loaded);
  std::string names;
  for (const auto& s : schedules) {
    names += (names.empty() ? "" : ", ") + s.job + " (" + s.cron.text() + ", " + s.zone.name() + ")";
  }
  scheduler_.configure(std::move(schedules));
  log().information("%s: scheduled jobs: %s", current_->cfg.file,
                    names.empty() ? std::string("none") : names);
}

void Daemon::reload() {
  auto next = loader_();
  if (!next) {
    metrics::global().increment(metrics::kConfigReloads, {{"result", "refused"}});
    log().error("SIGHUP: config not reloaded, the running config stays: %s",
                next.error().message());
    return;
  }
  try {
    apply(std::move(next).value());
  } catch (const Poco::Exception& e) {
    // The listener moved to an address that cannot be bound: the schedules still apply.
    log().error("SIGHUP: metrics listener: %s; metrics are off until the next reload",
                e.displayText());
  }
  metrics::global().increment(metrics::kConfigReloads, {{"result", "applied"}});
  log().information("SIGHUP: config reloaded");
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
  if (job != nullptr) {
    try {
      const auto& cfg = loaded->cfg;
      std::error_code ec;
      if (auto dir = std::filesystem::path(cfg.state_path).parent_path(); !dir.empty()) {
        std::filesystem::create_directories(dir, ec);
      }
      // One state connection per run: SQLite (WAL, busy timeout) or PostgreSQL (row locks,
      // lock timeout) serialises the writers.
      state::StateStore store(
          state::StateLocation{cfg.state_path, cfg.state_url, cfg.state_password});
      sync::JobOptions options;
      options.apply = true;
      options.keep_lease = true;
      sync::JobReport r = sync::runJob(cfg, *job, *loaded->loader, store, options, nullptr, &stop_);
      recordReport(r);
    } catch (const std::exception& e) {
      sync::JobReport r;
      r.job = job_name;
      r.outcome = sync::JobOutcome::Failed;
      recordReport(r);
      log().error("job %s: %s", job_name, std::string(e.what()));
    }
  }
  metrics::global().set(metrics::kJobRunning, {{"job", job_name}}, 0);
  scheduler_.finished(job_name);
  std::lock_guard lock(runs_mutex_);
  --runs_in_flight_;
  runs_done_.notify_all();
}

bool Daemon::waitForRuns(std::chrono::seconds timeout) {
  std::unique_lock lock(runs_mutex_);
  return runs_done_.wait_for(lock, timeout, [this] { return runs_in_flight_ == 0; });
}

}  // namespace mobisync::daemon
