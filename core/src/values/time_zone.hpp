// SPDX-License-Identifier: Apache-2.0
// TimeZone: a zone of the system tz database, and wall-clock fields of an instant in it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "mobisync/result.hpp"

namespace mobisync::values {

using SysSeconds = std::chrono::sys_seconds;

/// The wall-clock reading of one instant in one zone.
struct WallTime {
  int year = 1970;
  int month = 1;   ///< 1..12
  int day = 1;     ///< 1..31
  int hour = 0;    ///< 0..23
  int minute = 0;  ///< 0..59
  int weekday = 4; ///< 0 = Sunday .. 6
  std::int64_t utc_offset = 0;  ///< seconds east of UTC in force at that instant

  /// The wall time as seconds counted like UTC (instant + offset); equal readings compare equal.
  std::int64_t wallSeconds(SysSeconds instant) const {
    return instant.time_since_epoch().count() + utc_offset;
  }
};

/// The wall fields of `wall_seconds` read as if it were UTC: for times that no instant shows
/// (a spring-forward gap), computed by the calendar alone.
WallTime civilFields(std::int64_t wall_seconds);

/// A zone of the system tz database (TZDIR or /usr/share/zoneinfo), or the process's local
/// zone. Value type. The C library keeps one zone per process (TZ), so every conversion runs
/// under one process-wide lock that sets TZ, converts, and puts TZ back. TZ is only ever
/// replaced in place (never added or removed after the first use), so readers on other threads
/// stay memory-safe; the one thing they can see is the job's zone for the microseconds of a
/// next-time computation (a log line's local timestamp, say). A tz database reader of our own,
/// or libstdc++'s chrono zones (GCC 14), would remove even that.
class TimeZone {
 public:
  /// The zone the process started in ($TZ, else /etc/localtime).
  static TimeZone local();
  /// A named zone such as "Europe/London" or "UTC"; an error says why a name is refused.
  static Result<TimeZone> named(const std::string& name);

  /// "Europe/London", or "local".
  std::string name() const { return name_.empty() ? "local" : name_; }

  /// Converts instants while holding the zone lock. `f` receives a callable
  /// `WallTime(SysSeconds)`; keep `f` short and free of other locks.
  template <class F>
  auto with(F&& f) const {
    Session s(*this);
    return f([&s](SysSeconds t) { return s.toWall(t); });
  }

 private:
  class Session {
   public:
    explicit Session(const TimeZone& zone);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    WallTime toWall(SysSeconds t) const;
  };
  std::string name_;  ///< empty: local
};

}  // namespace mobisync::values
