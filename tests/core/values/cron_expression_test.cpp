// SPDX-License-Identifier: Apache-2.0
// Cron schedules: parsing with positions, the day OR rule, and next-fire times across DST.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "values/cron_expression.hpp"

using mobisync::values::CronExpression;
using mobisync::values::SysSeconds;
using mobisync::values::TimeZone;
using namespace std::chrono;

namespace {

/// An instant written in UTC.
SysSeconds utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

CronExpression cron(const std::string& text) {
  auto c = CronExpression::parse(text);
  REQUIRE_MESSAGE(c.has_value(), text);
  return *c;
}

TimeZone zone(const std::string& name) {
  auto z = TimeZone::named(name);
  REQUIRE_MESSAGE(z.has_value(), name);
  return *z;
}

std::string parseError(const std::string& text) {
  auto c = CronExpression::parse(text);
  REQUIRE_FALSE_MESSAGE(c.has_value(), text);
  return c.error().message();
}

SysSeconds next(const CronExpression& c, SysSeconds after, const TimeZone& z) {
  auto t = c.nextAfter(after, z);
  REQUIRE(t.has_value());
  return *t;
}

}  // namespace

TEST_SUITE("core.cron") {
  TEST_CASE("a fixed daily time fires at that wall time in the zone") {
    auto c = cron("30 9 * * *");
    CHECK(next(c, utc(2026, 1, 10, 0, 0), zone("UTC")) == utc(2026, 1, 10, 9, 30));
    CHECK(next(c, utc(2026, 1, 10, 9, 30), zone("UTC")) == utc(2026, 1, 11, 9, 30));
    // 09:30 in New York in winter is 14:30 UTC; in summer 13:30 UTC.
    CHECK(next(c, utc(2026, 1, 10, 0, 0), zone("America/New_York")) == utc(2026, 1, 10, 14, 30));
    CHECK(next(c, utc(2026, 7, 10, 0, 0), zone("America/New_York")) == utc(2026, 7, 10, 13, 30));
  }

  TEST_CASE("steps ranges lists and names select the same minutes as numbers") {
    auto z = zone("UTC");
    CHECK(next(cron("*/15 * * * *"), utc(2026, 1, 1, 10, 7), z) == utc(2026, 1, 1, 10, 15));
    CHECK(next(cron("1-30/10 * * * *"), utc(2026, 1, 1, 10, 22), z) == utc(2026, 1, 1, 11, 1));
    CHECK(next(cron("5/20 * * * *"), utc(2026, 1, 1, 10, 26), z) == utc(2026, 1, 1, 10, 45));
    CHECK(next(cron("0 8,17 * * *"), utc(2026, 1, 1, 9, 0), z) == utc(2026, 1, 1, 17, 0));
    // 2026-01-03 is a Saturday: mon-fri moves to Monday the 5th.
    CHECK(next(cron("0 9 * jan-mar Mon-Fri"), utc(2026, 1, 3, 0, 0), z) == utc(2026, 1, 5, 9, 0));
    CHECK(next(cron("0 0 1 jul *"), utc(2026, 1, 3, 0, 0), z) == utc(2026, 7, 1, 0, 0));
    // 7 and 0 are both Sunday; 2026-01-04 is a Sunday.
    CHECK(next(cron("0 0 * * 7"), utc(2026, 1, 1, 0, 0), z) == utc(2026, 1, 4, 0, 0));
    CHECK(next(cron("0 0 * * sun"), utc(2026, 1, 1, 0, 0), z) == utc(2026, 1, 4, 0, 0));
  }

  TEST_CASE("shorthands expand to their five fields") {
    auto z = zone("UTC");
    const auto t = utc(2026, 1, 7, 10, 20);  // a Wednesday
    CHECK(next(cron("@hourly"), t, z) == utc(2026, 1, 7, 11, 0));
    CHECK(next(cron("@daily"), t, z) == utc(2026, 1, 8, 0, 0));
    CHECK(next(cron("@midnight"), t, z) == utc(2026, 1, 8, 0, 0));
    CHECK(next(cron("@weekly"), t, z) == utc(2026, 1, 11, 0, 0));
    CHECK(next(cron("@monthly"), t, z) == utc(2026, 2, 1, 0, 0));
    CHECK(next(cron("@yearly"), t, z) == utc(2027, 1, 1, 0, 0));
  }

  TEST_CASE("both day fields restricted match either day as in Vixie cron") {
    auto z = zone("UTC");
    // The 13th or any Friday: after Thursday 2026-02-05 comes Friday the 6th.
    auto either = cron("0 0 13 * fri");
    CHECK(next(either, utc(2026, 2, 5, 1, 0), z) == utc(2026, 2, 6, 0, 0));
    CHECK(next(either, utc(2026, 2, 10, 0, 0), z) == utc(2026, 2, 13, 0, 0));
    CHECK(next(either, utc(2026, 2, 11, 0, 0), z) == utc(2026, 2, 13, 0, 0));
    // A day-of-month starting with '*' lets day-of-week decide: odd days that are Fridays.
    auto both = cron("0 0 */2 * fri");
    CHECK(next(both, utc(2026, 2, 5, 1, 0), z) == utc(2026, 2, 13, 0, 0));
  }

  TEST_CASE("a date that never comes gives no next time") {
    CHECK_FALSE(cron("0 0 30 2 *").nextAfter(utc(2026, 1, 1, 0, 0), zone("UTC")).has_value());
  }

  TEST_CASE("a fixed time in the spring-forward gap runs once right after the gap") {
    // London, 2026-03-29: 01:00 GMT jumps to 02:00 BST at 01:00 UTC; 01:30 never shows.
    auto z = zone("Europe/London");
    auto c = cron("30 1 * * *");
    CHECK(next(c, utc(2026, 3, 28, 12, 0), z) == utc(2026, 3, 29, 1, 0));
    CHECK(next(c, utc(2026, 3, 29, 1, 0), z) == utc(2026, 3, 30, 0, 30));
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
    CHECK(next(cron("0 2 * * *"), utc(2026, 3, 7, 12, 0), zone("America/New_York")) ==
          utc(2026, 3, 8, 7, 0));
  }

  TEST_CASE("a fixed time in the repeated fall-back hour runs only on the first pass") {
    // London, 2026-10-25: 02:00 BST falls back to 01:00 GMT at 01:00 UTC; 01:30 shows twice.
    auto z = zone("Europe/London");
    auto c = cron("30 1 * * *");
    CHECK(next(c, utc(2026, 10, 24, 12, 0), z) == utc(2026, 10, 25, 0, 30));
    CHECK(next(c, utc(2026, 10, 25, 0, 30), z) == utc(2026, 10, 26, 1, 30));
  }

  TEST_CASE("wildcard schedules follow the wall clock through DST changes") {
    auto z = zone("Europe/London");
    // Every half hour: the gap's wall times are skipped, so 00:30 GMT is followed by 02:00 BST.
    auto half = cron("*/30 * * * *");
    CHECK(next(half, utc(2026, 3, 29, 0, 30), z) == utc(2026, 3, 29, 1, 0));
    // Minute 15 of every hour: the repeated hour fires twice, an hour apart.
    auto quarter = cron("15 * * * *");
    CHECK(next(quarter, utc(2026, 10, 25, 0, 0), z) == utc(2026, 10, 25, 0, 15));
    CHECK(next(quarter, utc(2026, 10, 25, 0, 15), z) == utc(2026, 10, 25, 1, 15));
  }

  TEST_CASE("every N seconds fires on multiples of N since the epoch") {
    auto c = cron("@every 2s");
    CHECK(c.interval() == seconds(2));
    CHECK(next(c, SysSeconds(seconds(10)), zone("UTC")) == SysSeconds(seconds(12)));
    CHECK(next(c, SysSeconds(seconds(11)), zone("UTC")) == SysSeconds(seconds(12)));
    CHECK(cron("@every 5m").interval() == minutes(5));
    CHECK(cron("@every 1h").interval() == hours(1));
  }

  TEST_CASE("parse errors name the field and the column") {
    CHECK(parseError("61 * * * *") == "minute field: 61 is out of range 0-59 at column 1");
    CHECK(parseError("* 25 * * *") == "hour field: 25 is out of range 0-23 at column 3");
    CHECK(parseError("0 0 * * mon-xyz") ==
          "day-of-week field: \"xyz\" is not a known name at column 13");
    CHECK(parseError("0 0 * foo *") == "month field: \"foo\" is not a known name at column 7");
    CHECK(parseError("0 0 0 * *") == "day-of-month field: 0 is out of range 1-31 at column 5");
    CHECK(parseError("0 10-2 * * *") == "hour field: range 10-2 runs backwards at column 6");
    CHECK(parseError("*/0 * * * *") ==
          "minute field: a step needs a positive number after \"/\" at column 3");
    CHECK(parseError("1,,2 * * * *") == "minute field: expected a number, found \",\" at column 3");
    CHECK(parseError("* * *").find("expected 5 fields") == 0);
    CHECK(parseError("* * * * * *").find("found 6") != std::string::npos);
    CHECK(parseError("").find("empty schedule") == 0);
    CHECK(parseError("@reboot").find("unknown shorthand \"@reboot\" at column 1") == 0);
    CHECK(parseError("@every 0s").find("from 1s") != std::string::npos);
    CHECK(parseError("@every 5x").find("unit s, m or h") != std::string::npos);
  }

  TEST_CASE("unknown or unsafe zone names are refused") {
    CHECK(TimeZone::named("Europe/London").has_value());
    CHECK(TimeZone::named("local")->name() == "local");
    auto mars = TimeZone::named("Mars/Olympus_Mons");
    REQUIRE_FALSE(mars.has_value());
    CHECK(mars.error().message().find("unknown time zone \"Mars/Olympus_Mons\"") == 0);
    CHECK_FALSE(TimeZone::named("../../etc/passwd").has_value());
    CHECK_FALSE(TimeZone::named("/etc/localtime").has_value());
  }
}
