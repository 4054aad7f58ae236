// SPDX-License-Identifier: Apache-2.0
// Scheduler: due jobs, overlap skipping and counting.
#include "daemon/scheduler.hpp"

#include <algorithm>

#include <Poco/Logger.h>

#include "metrics/catalog.hpp"

namespace mobisync::daemon {

namespace {

double unixSeconds(values::SysSeconds t) { return static_cast<double>(t.time_since_epoch().count()); }

}  // namespace

Scheduler::Scheduler(const Clock& clock, Launch launch)
    : clock_(clock), launch_(std::move(launch)) {}

std::optional<values::SysSeconds> Scheduler::nextAfter(const Entry& e, Clock::TimePoint t) const {
  return e.schedule.cron.nextAfter(std::chrono::floor<std::chrono::seconds>(t), e.schedule.zone);
}

void Scheduler::configure(std::vector<JobSchedule> jobs) {
  const auto now = clock_.now();
  std::vector<Entry> entries;
  for (auto& j : jobs) {
    Entry e{std::move(j), std::nullopt, std::nullopt};
    e.next = nextAfter(e, now);
    entries.push_back(std::move(e));
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(entries);
  auto& registry = metrics::global();
  for (const auto& e : entries_) {
    counts_[e.schedule.job];
    if (e.next) registry.set(metrics::kJobNextRun, {{"job", e.schedule.job}}, unixSeconds(*e.next));
  }
}

void Scheduler::tick() {
  const auto now = clock_.now();
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    auto& registry = metrics::global();
    for (auto& e : entries_) {
      if (!e.next || now < *e.next) continue;
      Counts& c = counts_[e.schedule.job];
      if (c.running) {
        if (!e.unserved_since) e.unserved_since = *e.next;
        ++c.skipped;
        registry.increment(metrics::kJobRunsSkipped, {{"job", e.schedule.job}});
        Poco::Logger::get("mobisync.daemon")
            .warning("job %s: skipped the run due at %s, the previous run is still going",
                     e.schedule.job, std::to_string(e.next->time_since_epoch().count()));
      } else {
        c.running = true;
        e.unserved_since.reset();
        ++c.launched;
        due.push_back(e.schedule.job);
      }
      e.next = nextAfter(e, now);
      if (e.next) registry.set(metrics::kJobNextRun, {{"job", e.schedule.job}}, unixSeconds(*e.next));
    }
  }
  // Outside the lock: a launcher may call finished() at once (a run that ends immediately).
  for (const auto& job : due) launch_(job);
}

void Scheduler::finished(const std::string& job) {
  std::lock_guard lock(mutex_);
  counts_[job].running = false;
}

std::optional<Clock::TimePoint> Scheduler::nextDue() const {
  std::lock_guard lock(mutex_);
  std::optional<Clock::TimePoint> best;
  for (const auto& e : entries_) {
    if (e.next && (!best || *e.next < *best)) best = *e.next;
  }
  return best;
}

std::optional<Clock::TimePoint> Scheduler::nextDue(const std::string& job) const {
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    if (e.schedule.job == job && e.next) return Clock::TimePoint(*e.next);
  }
  return std::nullopt;
}

std::vector<std::string> Scheduler::overdue() const {
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    const auto since = e.unserved_since ? e.unserved_since : e.next;
    if (!since || now <= *since) continue;
    // The period that ends at `since`: the next time after it, minus it.
    std::chrono::seconds grace = kOverdueGrace;
    if (auto after = e.schedule.cron.nextAfter(*since, e.schedule.zone)) {
      grace = std::max(grace, std::chrono::duration_cast<std::chrono::seconds>(*after - *since));
    }
    if (now - *since <= grace) continue;
    out.push_back("job " + e.schedule.job + ": due " +
                  std::to_string((now - *since).count()) + " s ago and not started" +
                  (e.unserved_since ? " (its previous run is still going)" : ""));
  }
  return out;
}

std::uint64_t Scheduler::skipped(const std::string& job) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(job);
  return it == counts_.end() ? 0 : it->second.skipped;
}

std::uint64_t Scheduler::launched(const std::string& job) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(job);
  return it == counts_.end() ? 0 : it->second.launched;
}

std::size_t Scheduler::runningCount() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [job, c] : counts_) n += c.running ? 1 : 0;
  return n;
}

}  // namespace mobisync::daemon
