// SPDX-License-Identifier: Apache-2.0
// CronExpression: a job's `schedule`, parsed once, asked for its next firing time.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "values/time_zone.hpp"
#include "mobisync/result.hpp"

namespace mobisync::values {

/// A Vixie-cron schedule: five fields (minute hour day-of-month month day-of-week) with `*`,
/// ranges, steps (`*/15`, `1-30/5`, `5/10` = 5-max/10), lists, month and day names (`jan`,
/// `mon-fri`), 0 or 7 for Sunday, and the shorthands @hourly @daily @midnight @weekly @monthly
/// @yearly @annually. When both day fields are restricted a day matches either (Vixie's OR
/// rule); when one starts with `*`, only the other decides.
///
/// Daylight saving, as Debian's cron does it: a job whose minute and hour are both fixed (do not
/// start with `*`) runs once at the first instant after a spring-forward gap that swallowed its
/// time, and only on the first pass through a repeated fall-back hour. Jobs with `*` in minute or
/// hour follow the wall clock: skipped wall times are skipped, repeated ones repeat.
///
/// For tests and short-lived demos, `@every N` with a unit s, m or h (`@every 2s`) fires at every
/// multiple of N since the epoch, in any zone. Value type; const methods are thread-safe.
class CronExpression {
 public:
  /// Parses `text`. An error names the field and the 1-based column where it goes wrong.
  static Result<CronExpression> parse(std::string_view text);

  /// The first firing instant strictly after `after` in `zone`, or nothing if none comes within
  /// the next ten years (e.g. "0 0 30 2 *").
  std::optional<SysSeconds> nextAfter(SysSeconds after, const TimeZone& zone) const;

  const std::string& text() const { return text_; }
  /// The `@every` interval, zero for a calendar schedule.
  std::chrono::seconds interval() const { return interval_; }

 private:
  bool dayMatches(const WallTime& w) const;
  bool matches(const WallTime& w) const;
  /// True when a wall time skipped by the gap before `t` would have fired this fixed-time job.
  template <class Wall>
  bool gapSwallowedAFiring(SysSeconds t, const WallTime& now, const Wall& wall) const;
  template <class Wall>
  bool repeatsEarlierWallTime(SysSeconds t, const WallTime& now, const Wall& wall) const;

  std::string text_;
  std::chrono::seconds interval_{0};
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    ///< 1..31
  std::bitset<13> months_;  ///< 1..12
  std::bitset<8> weekdays_; ///< 0..6, Sunday 0 (7 folded onto 0)
  bool day_star_ = false;      ///< day-of-month field starts with '*'
  bool weekday_star_ = false;  ///< day-of-week field starts with '*'
  bool fixed_time_ = false;    ///< neither minute nor hour starts with '*'
};

}  // namespace mobisync::values
