// SPDX-License-Identifier: Apache-2.0
// Scheduler: which jobs are due, never one job twice at once; time comes from a Clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "values/cron_expression.hpp"
#include "values/time_zone.hpp"

namespace mobisync::daemon {

/// Where the scheduler reads the time; tests inject a clock they move by hand.
class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// The wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// One scheduled job.
struct JobSchedule {
  std::string job;
  values::CronExpression cron;
  values::TimeZone zone;
};

/// Decides which jobs start. A job due while its previous run is still going is skipped and
/// counted (and its next time computed as usual): runs never overlap and never pile up. Missed
/// times (a suspended host) are not caught up; the job runs once and goes on from now, as cron.
/// configure() and tick() run on one thread (the daemon's loop); finished() and the queries
/// may come from any thread.
class Scheduler {
 public:
  /// Starts a run of `job`; it must call finished(job) when that run ends, on any thread.
  using Launch = std::function<void(const std::string& job)>;

  Scheduler(const Clock& clock, Launch launch);

  /// Replaces the schedules (a reload). A job still running stays marked running, so a reload
  /// cannot start it twice; every job's next time is computed afresh from now.
  void configure(std::vector<JobSchedule> jobs);

  /// Launches every job whose time has come; skips and counts those still running.
  void tick();

  /// Marks a run of `job` ended.
  void finished(const std::string& job);

  /// The earliest next time over all jobs, or nothing when no job has one.
  std::optional<Clock::TimePoint> nextDue() const;
  std::optional<Clock::TimePoint> nextDue(const std::string& job) const;
  std::uint64_t skipped(const std::string& job) const;
  std::uint64_t launched(const std::string& job) const;
  std::size_t runningCount() const;

  /// Why each overdue job is (empty when none is): a job is overdue when a time it was due
  /// passed more than a whole schedule period (at least kOverdueGrace) ago without a run
  /// starting for it, because its previous run was still going or the loop did not tick.
  std::vector<std::string> overdue() const;
  static constexpr std::chrono::seconds kOverdueGrace{60};

 private:
  struct Entry {
    JobSchedule schedule;
    std::optional<values::SysSeconds> next;
    /// The earliest time the job was due and skipped, until a run starts.
    std::optional<values::SysSeconds> unserved_since;
  };
  struct Counts {
    bool running = false;
    std::uint64_t launched = 0;
    std::uint64_t skipped = 0;
  };
  std::optional<values::SysSeconds> nextAfter(const Entry& e, Clock::TimePoint t) const;

  const Clock& clock_;
  Launch launch_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::map<std::string, Counts> counts_;  ///< kept across configure(), by job name
};

}  // namespace mobisync::daemon
