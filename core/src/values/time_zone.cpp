// SPDX-License-Identifier: Apache-2.0
// TimeZone on the C library's tz support: TZ set under one lock, localtime_r, TZ restored.
#include "values/time_zone.hpp"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>

namespace mobisync::values {

namespace {

std::mutex& zoneLock() {
  static std::mutex m;
  return m;
}

/// TZ as the process started, captured once (at config load, before any thread) and restored
/// after every conversion. An unset TZ is made explicit as the file glibc reads for it, so TZ
/// always exists and later changes replace its value in place: the environment array is never
/// reallocated under a thread that reads it.
const std::string& startupTz() {
  static const std::string tz = [] {
    const char* v = std::getenv("TZ");
    std::string value = v != nullptr ? v : ":/etc/localtime";
    ::setenv("TZ", value.c_str(), 1);
    return value;
  }();
  return tz;
}

void setTz(const std::string& tz) {
  ::setenv("TZ", tz.c_str(), 1);
  ::tzset();
}

std::string zoneDir() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

}  // namespace

WallTime civilFields(std::int64_t wall_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{wall_seconds}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  WallTime w;
  w.year = static_cast<int>(ymd.year());
  w.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  w.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  w.hour = static_cast<int>(hms.hours().count());
  w.minute = static_cast<int>(hms.minutes().count());
  w.weekday = static_cast<int>(weekday{day}.c_encoding());
  return w;
}

TimeZone TimeZone::local() {
  startupTz();
  return TimeZone{};
}

Result<TimeZone> TimeZone::named(const std::string& name) {
  startupTz();
  if (name.empty() || name == "local") return local();
  // A name is a path below the zone directory: nothing absolute, nothing climbing out.
  if (name.front() == '/' || name.find("..") != std::string::npos ||
      name.find_first_of(" ,:") != std::string::npos) {
    return Status::invalidConfig("\"" + name + "\" is not a tz database zone name such as " +
                                 "Europe/London or UTC");
  }
  const std::string path = zoneDir() + "/" + name;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  if (!in || !in.read(magic, 4) || std::string(magic, 4) != "TZif") {
    // The C library would silently use UTC for an unknown zone; refuse it instead.
    return Status::invalidConfig("unknown time zone \"" + name + "\" (no tz database entry " +
                                 path + ")");
  }
  TimeZone z;
  z.name_ = name;
  return z;
}

TimeZone::Session::Session(const TimeZone& zone) {
  zoneLock().lock();
  // glibc re-reads the zone file only when TZ changes, so a session pays for it once.
  setTz(zone.name_.empty() ? startupTz() : ":" + zone.name_);
}

TimeZone::Session::~Session() {
  setTz(startupTz());
  zoneLock().unlock();
}

WallTime TimeZone::Session::toWall(SysSeconds t) const {
  const std::time_t tt = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  ::localtime_r(&tt, &tm);
  WallTime w;
  w.year = tm.tm_year + 1900;
  w.month = tm.tm_mon + 1;
  w.day = tm.tm_mday;
  w.hour = tm.tm_hour;
  w.minute = tm.tm_min;
  w.weekday = tm.tm_wday;
  w.utc_offset = tm.tm_gmtoff;
  return w;
}

}  // namespace mobisync::values
