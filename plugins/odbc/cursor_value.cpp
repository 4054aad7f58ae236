// SPDX-License-Identifier: Apache-2.0
// Cursor values of incremental reads: their types, normal forms and order; tombstone flags.
#include "cursor_value.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "mobisync/text.hpp"

namespace mobisync::plugins::odbc {

namespace {

/// Reads exactly `n` digits at `at`.
bool digits(std::string_view s, std::size_t& at, std::size_t n, int& out) {
  if (at + n > s.size()) {
    return false;
  }
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[at + i];
    if (c < '0' || c > '9') {
      return false;
    }
    out = out * 10 + (c - '0');
  }
  at += n;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), so offsets
// are applied without the C library's local-time rules.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::optional<std::string> normaliseTimestamp(std::string_view s, std::string& error) {
  const auto bad = [&](const char* why) {
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "literal" + string.
    error.assign(1, '"');
    error.append(mobisync::text::excerpt(s));
    error.append("\" is not a timestamp (");
    error.append(why);
    error.append("; expected YYYY-MM-DD HH:MM:SS[.fraction][Z|+HH:MM])");
    return std::nullopt;
  };
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, at, 4, year) || at >= s.size() || s[at++] != '-' ||
      !digits(s, at, 2, month) || at >= s.size() || s[at++] != '-' || !digits(s, at, 2, day)) {
    return bad("no date");
  }
  if (at < s.size() && (s[at] == 'T' || s[at] == 't' || s[at] == ' ')) {
    ++at;
    if (!digits(s, at, 2, hour) || at >= s.size() || s[at++] != ':' ||
        !digits(s, at, 2, minute)) {
      return bad("no time");
    }
    if (at < s.size() && s[at] == ':') {
      ++at;
      if (!digits(s, at, 2, second)) {
        return bad("bad seconds");
      }
    }
  }
  long micros = 0;
  if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
    ++at;
    int places = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      // Digits past microseconds are dropped: rounding down keeps ">=" from skipping a tie.
      if (places < 6) {
        micros = micros * 10 + (s[at] - '0');
        ++places;
      }
      ++at;
    }
    if (places == 0) {
      return bad("empty fraction");
    }
    for (; places < 6; ++places) {
      micros *= 10;
    }
  }
  while (at < s.size() && s[at] == ' ') {
    ++at;
  }
  long offset_s = 0;
  if (at < s.size()) {
    const char sign = s[at];
    if (sign == 'Z' || sign == 'z') {
      ++at;
    } else if (sign == '+' || sign == '-') {
      ++at;
      int oh = 0, om = 0;
      if (!digits(s, at, 2, oh)) {
        return bad("bad offset");
      }
      if (at < s.size() && s[at] == ':') {
        ++at;
      }
      if (at < s.size() && !digits(s, at, 2, om)) {
        return bad("bad offset");
      }
      offset_s = (oh * 3600L + om * 60L) * (sign == '-' ? -1 : 1);
    }
  }
  if (at != s.size()) {
    return bad("unexpected text after the time");
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return bad("a field is out of range");
  }
  std::int64_t t = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
                       86400 +
                   hour * 3600 + minute * 60 + std::min(second, 59) - offset_s;
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t rest = t - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {
    return bad("year out of range");
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06ldZ", static_cast<int>(y), m, d,
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                static_cast<int>(rest % 60), micros);
  return std::string(buf);
}

std::optional<std::int64_t> integerValue(std::string_view s) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p == s.data()) {
    return std::nullopt;
  }
  // A whole number from a decimal column ("42.0", "42.000") is that integer.
  if (p != end && *p == '.') {
    ++p;
    while (p != end && *p == '0') {
      ++p;
    }
  }
  return p == end ? std::optional<std::int64_t>(v) : std::nullopt;
}

}  // namespace

std::optional<CursorType> parseCursorType(std::string_view name) {
  if (name == "integer") {
    return CursorType::Integer;
  }
  if (name == "timestamp") {
    return CursorType::Timestamp;
  }
  if (name == "text") {
    return CursorType::Text;
  }
  return std::nullopt;
}

const char* cursorTypeName(CursorType type) {
  switch (type) {
    case CursorType::Integer:
      return "integer";
    case CursorType::Timestamp:
      return "timestamp";
    case CursorType::Text:
      return "text";
  }
  return "text";
}

std::optional<std::string> normaliseCursor(CursorType type, std::string_view text,
                                           std::string& error) {
  switch (type) {
    case CursorType::Integer: {
      const std::string_view t = text::trimSpace(text);
      if (auto v = integerValue(t)) {
        return std::to_string(*v);
      }
      error.assign(1, '"');  // not "literal" + string: see normaliseTimestamp
      error.append(mobisync::text::excerpt(text));
      error.append("\" is not an integer");
      return std::nullopt;
    }
    case CursorType::Timestamp:
      return normaliseTimestamp(text::trimSpace(text), error);
    case CursorType::Text:
      return std::string(text);
  }
  return std::nullopt;
}

bool cursorAfter(CursorType type, const std::string& a, const std::string& b) {
  if (type == CursorType::Integer) {
    return *integerValue(a) > *integerValue(b);
  }
  // Timestamps in normal form have a fixed width, so their text order is their time order.
  return a > b;
}

TombstoneFlag tombstoneFlag(const Cell& cell) {
  if (cell.null) {
    return TombstoneFlag::Live;
  }
  const std::string v = text::lowerAscii(text::trimSpace(cell.text));
  if (v.empty() || v == "0" || v == "f" || v == "false" || v == "n" || v == "no") {
    return TombstoneFlag::Live;
  }
  if (v == "1" || v == "t" || v == "true" || v == "y" || v == "yes") {
    return TombstoneFlag::Deleted;
  }
  return TombstoneFlag::Invalid;
}

std::size_t countPlaceholders(std::string_view sql) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) {
        break;
      }
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) {
        break;
      }
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) {
        break;
      }
      i = end + 1;
    } else if (c == '?') {
      ++n;
    }
  }
  return n;
}

}  // namespace mobisync::plugins::odbc
