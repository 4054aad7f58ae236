// SPDX-License-Identifier: Apache-2.0
// The scheduler with an injected clock: due jobs start at their times, overlaps are skipped.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "daemon/scheduler.hpp"
#include "metrics/catalog.hpp"

using namespace std::chrono;
using mobisync::daemon::Clock;
using mobisync::values::CronExpression;
using mobisync::daemon::JobSchedule;
using mobisync::daemon::Scheduler;
using mobisync::values::TimeZone;

namespace {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint t) : now_(t) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

Clock::TimePoint at(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

JobSchedule schedule(const std::string& job, const std::string& cron, const std::string& zone) {
  return {job, *CronExpression::parse(cron), *TimeZone::named(zone)};
}

}  // namespace

TEST_SUITE("core.scheduler") {
  TEST_CASE("jobs start at their scheduled times and not before") {
    ManualClock clock(at(2026, 3, 28, 23, 50));
    std::vector<std::pair<std::string, Clock::TimePoint>> started;
    Scheduler s(clock, [&](const std::string& job) {
      started.emplace_back(job, clock.now());
    });
    s.configure({schedule("quarter", "*/15 * * * *", "UTC"),
                 schedule("london", "30 1 * * *", "Europe/London")});
    CHECK(s.nextDue() == at(2026, 3, 29, 0, 0));
    // Walk the clock in 20-second steps over 2 hours, acting as the daemon's loop does.
    for (auto t = clock.now(); t <= at(2026, 3, 29, 1, 50); t += seconds(20)) {
      clock.set(t);
      s.tick();
      for (const auto& [job, when] : started) s.finished(job);
    }
    std::vector<std::pair<std::string, Clock::TimePoint>> expected = {
        {"quarter", at(2026, 3, 29, 0, 0)},  {"quarter", at(2026, 3, 29, 0, 15)},
        {"quarter", at(2026, 3, 29, 0, 30)}, {"quarter", at(2026, 3, 29, 0, 45)},
        // London's 01:30 falls in the spring-forward gap: it runs as the gap ends, 01:00 UTC.
        {"quarter", at(2026, 3, 29, 1, 0)},  {"london", at(2026, 3, 29, 1, 0)},
        {"quarter", at(2026, 3, 29, 1, 15)}, {"quarter", at(2026, 3, 29, 1, 30)},
        {"quarter", at(2026, 3, 29, 1, 45)},
    };
    CHECK(started == expected);
    CHECK(s.launched("quarter") == 8);
    CHECK(s.skipped("quarter") == 0);
  }

  TEST_CASE("a job due while its previous run goes on is skipped and counted") {
    ManualClock clock(at(2026, 1, 1, 0, 0, 1));
    std::vector<Clock::TimePoint> started;
    Scheduler s(clock, [&](const std::string&) { started.push_back(clock.now()); });
    s.configure({schedule("slow", "@every 10s", "UTC")});
    auto& metrics = mobisync::metrics::global();
    const double skipped_before = metrics.value(mobisync::metrics::kJobRunsSkipped, {{"job", "slow"}});
    for (int second = 1; second <= 60; ++second) {
      clock.set(at(2026, 1, 1, 0, 0, second));
      s.tick();
      // The run that started at :10 takes until :35 and misses the ticks at :20 and :30.
      if (second == 35) s.finished("slow");
      if (second == 45) s.finished("slow");
    }
    CHECK(started == std::vector<Clock::TimePoint>{at(2026, 1, 1, 0, 0, 10),
                                                   at(2026, 1, 1, 0, 0, 40),
                                                   at(2026, 1, 1, 0, 0, 50)});
    CHECK(s.skipped("slow") == 3);  // :20, :30 and :60
    CHECK(s.runningCount() == 1);
    CHECK(metrics.value(mobisync::metrics::kJobRunsSkipped, {{"job", "slow"}}) ==
          skipped_before + 3);
  }

  TEST_CASE("a reload keeps a running job from starting twice") {
    ManualClock clock(at(2026, 1, 1, 0, 0, 0));
    int starts = 0;
    Scheduler s(clock, [&](const std::string&) { ++starts; });
    s.configure({schedule("j", "@every 5s", "UTC")});
    clock.set(at(2026, 1, 1, 0, 0, 5));
    s.tick();
    CHECK(starts == 1);
    s.configure({schedule("j", "@every 2s", "UTC")});
    CHECK(s.nextDue() == at(2026, 1, 1, 0, 0, 6));
    clock.set(at(2026, 1, 1, 0, 0, 6));
    s.tick();
    CHECK(starts == 1);
    CHECK(s.skipped("j") == 1);
    s.finished("j");
    clock.set(at(2026, 1, 1, 0, 0, 8));
    s.tick();
    CHECK(starts == 2);
  }
}

TEST_SUITE("core.scheduler") {
  TEST_CASE("a job whose run outlasts a whole period is overdue until its next run starts") {
    ManualClock clock(at(2026, 5, 1, 12, 0));
    Scheduler s(clock, [](const std::string&) {});
    s.configure({schedule("people", "*/5 * * * *", "UTC")});
    CHECK(s.overdue().empty());
    clock.set(at(2026, 5, 1, 12, 5));
    s.tick();  // starts; never finishes
    clock.set(at(2026, 5, 1, 12, 10));
    s.tick();  // skipped: due since 12:10
    CHECK(s.overdue().empty());
    clock.set(at(2026, 5, 1, 12, 15, 1));
    s.tick();  // skipped again; a whole period (5 min) passed since 12:10
    auto why = s.overdue();
    REQUIRE(why.size() == 1);
    CHECK(why[0] == "job people: due 301 s ago and not started (its previous run is still going)");
    s.finished("people");
    clock.set(at(2026, 5, 1, 12, 20));
    s.tick();
    CHECK(s.overdue().empty());
  }

  TEST_CASE("a due job the loop never started is overdue after the grace") {
    ManualClock clock(at(2026, 5, 1, 12, 0));
    Scheduler s(clock, [](const std::string&) {});
    s.configure({schedule("often", "* * * * *", "UTC")});
    clock.set(at(2026, 5, 1, 12, 1, 30));
    CHECK(s.overdue().empty());  // 30 s late: within the 60 s grace
    clock.set(at(2026, 5, 1, 12, 2, 1));
    CHECK(s.overdue() == std::vector<std::string>{"job often: due 61 s ago and not started"});
  }
}
