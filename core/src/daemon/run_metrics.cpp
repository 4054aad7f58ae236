// SPDX-License-Identifier: Apache-2.0
// The daemon's job metrics.
#include "daemon/run_metrics.hpp"

#include <chrono>
#include <utility>

#include "metrics/catalog.hpp"
#include "state/run_counts.hpp"

namespace mobisync::daemon {

namespace {

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How far back seedLastSuccess looks. A job whose last success is further back has failed for
// that many runs in a row: 0 ("never") says stale just as truly.
constexpr int kRunsSearched = 1000;

}  // namespace

std::vector<std::string> scheduledJobs(const config::AppConfig& cfg) {
  std::vector<std::string> out;
  for (const auto& j : cfg.jobs) {
    if (j.enabled && !j.schedule.empty()) out.push_back(j.name);
  }
  return out;
}

void declareSeries(metrics::Registry& r, const config::AppConfig& cfg) {
  const auto jobs = scheduledJobs(cfg);
  metrics::declareJobSeries(r, jobs);
  for (const auto& job : jobs) {
    r.declareSeries(metrics::kJobLastSuccess, {{"job", job}});
  }
  std::vector<std::string> notifiers;
  for (const auto& n : cfg.notifiers) notifiers.push_back(n.name);
  metrics::declareMessagingSeries(r, notifiers);
  for (const char* result : {"applied", "refused"}) {
    r.declareSeries(metrics::kConfigReloads, {{"result", result}});
  }
}

void seedLastSuccess(metrics::Registry& r, const config::AppConfig& cfg, state::StateStore& store) {
  for (const auto& job : scheduledJobs(cfg)) {
    for (const auto& run : store.runs(job, kRunsSearched)) {
      if (run.outcome != "succeeded" || run.mode != "sync") continue;
      const metrics::Labels labels{{"job", job}};
      // A run of this process may have succeeded meanwhile; the newer time stays.
      const double at = static_cast<double>(run.ended_at_ms) / 1000.0;
      if (at > r.value(metrics::kJobLastSuccess, labels)) r.set(metrics::kJobLastSuccess, labels, at);
      break;
    }
  }
}

void recordReport(metrics::Registry& m, const sync::JobReport& r) {
  const metrics::Labels job{{"job", r.job}};
  if (r.outcome == sync::JobOutcome::Skipped) {
    // Another daemon has the job this tick; this one tries again at the next.
    m.increment(metrics::kJobRunsLeaseSkipped, job);
    return;
  }
  m.increment(metrics::kJobRuns, {{"job", r.job}, {"outcome", sync::outcomeName(r.outcome)}});
  // The run's counts that have a counter of their own (metrics/catalog.hpp).
  static constexpr std::pair<const char*, std::int64_t state::RunCounts::*> kCounters[] = {
      {metrics::kContactsFetched, &state::RunCounts::fetched},
      {metrics::kContactsAdded, &state::RunCounts::added},
      {metrics::kContactsRemoved, &state::RunCounts::removed},
      {metrics::kContactsRejected, &state::RunCounts::rejected},
      {metrics::kContactsFailed, &state::RunCounts::failed},
  };
  const state::RunCounts& counts = r;
  for (const auto& [metric, count] : kCounters) {
    m.increment(metric, job, static_cast<double>(counts.*count));
  }
  if (r.outcome == sync::JobOutcome::Succeeded) m.set(metrics::kJobLastSuccess, job, nowSeconds());
}

}  // namespace mobisync::daemon
