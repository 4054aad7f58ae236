// SPDX-License-Identifier: Apache-2.0
// CronExpression: field parsing with positions, and the next-fire search across DST changes.
#include "values/cron_expression.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace mobisync::values {

namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  ///< lower-case names for min, min+1, ...; nullptr: numbers only
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, nullptr},
    {"hour", 0, 23, nullptr},
    {"day-of-month", 1, 31, nullptr},
    {"month", 1, 12, kMonthNames},
    {"day-of-week", 0, 7, kDayNames},
}};

struct ParseError {
  std::size_t column;  ///< 1-based in the whole expression
  std::string problem;
};

/// Parses one comma-separated field into `bits` (index = value). `base` is the field's column.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::string_view text, std::size_t base)
      : spec_(spec), text_(text), base_(base) {}

  std::vector<bool> parse() {
    std::vector<bool> bits(static_cast<std::size_t>(spec_.max) + 1, false);
    while (true) {
      parseElement(bits);
      if (pos_ == text_.size()) break;
      if (text_[pos_] != ',') fail("unexpected \"" + std::string(1, text_[pos_]) + "\"");
      ++pos_;
      if (pos_ == text_.size()) fail("a list may not end with \",\"");
    }
    return bits;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw ParseError{base_ + pos_, std::string(spec_.name) + " field: " + problem};
  }

  int value() {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])) != 0) {
      while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])) != 0) {
        ++pos_;
      }
      std::string word(text_.substr(start, pos_ - start));
      for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (spec_.names != nullptr) {
        const int count = spec_.max - spec_.min + 1 - (spec_.max == 7 ? 1 : 0);
        for (int i = 0; i < count; ++i) {
          if (word == spec_.names[i]) return spec_.min + i;
        }
      }
      pos_ = start;
      fail("\"" + word + "\" is not a " + (spec_.names != nullptr ? "known name" : "number"));
    }
    int v = 0;
    auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), v);
    if (ec != std::errc{} || ptr == text_.data() + pos_) {
      fail(pos_ < text_.size() ? "expected a number, found \"" + std::string(1, text_[pos_]) + "\""
                               : "expected a number");
    }
    pos_ = static_cast<std::size_t>(ptr - text_.data());
    if (v < spec_.min || v > spec_.max) {
      pos_ = start;
      fail(std::to_string(v) + " is out of range " + std::to_string(spec_.min) + "-" +
           std::to_string(spec_.max));
    }
    return v;
  }

  void parseElement(std::vector<bool>& bits) {
    int lo = spec_.min;
    int hi = spec_.max;
    bool single = false;
    if (pos_ < text_.size() && text_[pos_] == '*') {
      ++pos_;
    } else {
      lo = value();
      if (pos_ < text_.size() && text_[pos_] == '-') {
        ++pos_;
        const std::size_t hi_pos = pos_;
        hi = value();
        if (hi < lo) {
          pos_ = hi_pos;
          fail("range " + std::to_string(lo) + "-" + std::to_string(hi) + " runs backwards");
        }
      } else {
        single = true;
        hi = lo;
      }
    }
    int step = 1;
    if (pos_ < text_.size() && text_[pos_] == '/') {
      ++pos_;
      const std::size_t step_pos = pos_;
      int s = 0;
      auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), s);
      if (ec != std::errc{} || ptr == text_.data() + pos_ || s < 1) {
        fail("a step needs a positive number after \"/\"");
      }
      pos_ = static_cast<std::size_t>(ptr - text_.data());
      if (s > spec_.max) {
        pos_ = step_pos;
        fail("step " + std::to_string(s) + " is larger than the field's range");
      }
      step = s;
      // "5/15" means 5-max/15 (as cronie reads it).
      if (single) hi = spec_.max;
    }
    for (int v = lo; v <= hi; v += step) bits[static_cast<std::size_t>(v)] = true;
  }

  const FieldSpec& spec_;
  std::string_view text_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

std::string_view shorthand(std::string_view word) {
  if (word == "@hourly") return "0 * * * *";
  if (word == "@daily" || word == "@midnight") return "0 0 * * *";
  if (word == "@weekly") return "0 0 * * 0";
  if (word == "@monthly") return "0 0 1 * *";
  if (word == "@yearly" || word == "@annually") return "0 0 1 1 *";
  return {};
}

Result<std::chrono::seconds> parseEvery(std::string_view rest, std::size_t column) {
  auto bad = [&](const std::string& why) -> Status {
    return Status::invalidConfig("@every: " + why + " at column " + std::to_string(column) +
                                 "; write @every 2s, @every 5m or @every 1h");
  };
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc{} || ptr == rest.data()) return bad("expected a number");
  std::string_view unit(ptr, static_cast<std::size_t>(rest.data() + rest.size() - ptr));
  std::int64_t scale = 0;
  if (unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (scale == 0) return bad("expected the unit s, m or h after the number");
  if (n < 1 || n * scale > 31 * 86400) return bad("the interval must be from 1s to 744h");
  return std::chrono::seconds(n * scale);
}

}  // namespace

Result<CronExpression> CronExpression::parse(std::string_view text) {
  CronExpression c;
  c.text_ = std::string(text);
  std::string_view body = text;
  std::size_t offset = 0;  // column shift when a shorthand was expanded (errors cannot occur)
  std::size_t lead = body.find_first_not_of(" \t");
  if (lead == std::string_view::npos) {
    return Status::invalidConfig("empty schedule; write five fields such as \"*/15 * * * *\"");
  }
  body.remove_prefix(lead);
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
  if (body.front() == '@') {
    if (body.rfind("@every ", 0) == 0) {
      std::string_view rest = body.substr(7);
      std::size_t skip = rest.find_first_not_of(' ');
      if (skip == std::string_view::npos) return parseEvery({}, lead + 8).error();
      auto every = parseEvery(rest.substr(skip), lead + 8 + skip);
      if (!every) return every.error();
      c.interval_ = *every;
      return c;
    }
    std::string_view expanded = shorthand(body);
    if (expanded.empty()) {
      return Status::invalidConfig(
          "unknown shorthand \"" + std::string(body) +
          "\" at column " + std::to_string(lead + 1) +
          "; use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @every N{s,m,h}");
    }
    body = expanded;
    offset = 0;
    lead = 0;
  }
  // Split into fields, remembering each one's column.
  std::vector<std::pair<std::string_view, std::size_t>> fields;
  std::size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    if (i == body.size()) break;
    std::size_t start = i;
    while (i < body.size() && body[i] != ' ' && body[i] != '\t') ++i;
    fields.emplace_back(body.substr(start, i - start), lead + offset + start + 1);
  }
  if (fields.size() != 5) {
    return Status::invalidConfig(
        "expected 5 fields (minute hour day-of-month month day-of-week), found " +
        std::to_string(fields.size()));
  }
  try {
    std::vector<std::vector<bool>> bits;
    for (std::size_t f = 0; f < 5; ++f) {
      bits.push_back(FieldParser(kFields[f], fields[f].first, fields[f].second).parse());
    }
    for (std::size_t v = 0; v < 60; ++v) c.minutes_[v] = bits[0][v];
    for (std::size_t v = 0; v < 24; ++v) c.hours_[v] = bits[1][v];
    for (std::size_t v = 1; v < 32; ++v) c.days_[v] = bits[2][v];
    for (std::size_t v = 1; v < 13; ++v) c.months_[v] = bits[3][v];
    for (std::size_t v = 0; v < 8; ++v) c.weekdays_[v % 7] = c.weekdays_[v % 7] || bits[4][v];
  } catch (const ParseError& e) {
    return Status::invalidConfig(e.problem + " at column " + std::to_string(e.column));
  }
  c.day_star_ = fields[2].first.front() == '*';
  c.weekday_star_ = fields[4].first.front() == '*';
  c.fixed_time_ = fields[0].first.front() != '*' && fields[1].first.front() != '*';
  return c;
}

bool CronExpression::dayMatches(const WallTime& w) const {
  if (!months_[static_cast<std::size_t>(w.month)]) return false;
  const bool dom = days_[static_cast<std::size_t>(w.day)];
  const bool dow = weekdays_[static_cast<std::size_t>(w.weekday)];
  // Vixie: a '*' in either day field makes the other decide; both restricted: either matches.
  if (day_star_ || weekday_star_) return dom && dow;
  return dom || dow;
}

bool CronExpression::matches(const WallTime& w) const {
  return dayMatches(w) && hours_[static_cast<std::size_t>(w.hour)] &&
         minutes_[static_cast<std::size_t>(w.minute)];
}

template <class Wall>
bool CronExpression::gapSwallowedAFiring(SysSeconds t, const WallTime& now, const Wall& wall) const {
  const SysSeconds before = t - std::chrono::seconds(60);
  const WallTime prev = wall(before);
  const std::int64_t from = prev.wallSeconds(before) + 60;
  const std::int64_t to = now.wallSeconds(t);
  if (to - from <= 0 || to - from > 24 * 3600) return false;
  for (std::int64_t s = from; s < to; s += 60) {
    if (matches(civilFields(s))) return true;
  }
  return false;
}

template <class Wall>
bool CronExpression::repeatsEarlierWallTime(SysSeconds t, const WallTime& now,
                                            const Wall& wall) const {
  // A fall-back shows the wall times of the last hour(s) again; look three hours back for the
  // larger offset that was in force, and see whether this wall time was shown then.
  const WallTime earlier = wall(t - std::chrono::hours(3));
  if (earlier.utc_offset <= now.utc_offset) return false;
  const SysSeconds first = t - std::chrono::seconds(earlier.utc_offset - now.utc_offset);
  return wall(first).utc_offset == earlier.utc_offset;
}

std::optional<SysSeconds> CronExpression::nextAfter(SysSeconds after, const TimeZone& zone) const {
  using std::chrono::seconds;
  if (interval_.count() > 0) {
    const auto n = interval_.count();
    const auto a = after.time_since_epoch().count();
    return SysSeconds(seconds((a / n + 1) * n - (a % n < 0 ? n : 0)));
  }
  return zone.with([&](const auto& wall) -> std::optional<SysSeconds> {
    const auto first = after.time_since_epoch().count();
    SysSeconds t{seconds(first - ((first % 60) + 60) % 60 + 60)};
    const SysSeconds limit = t + std::chrono::hours(24 * 366 * 10);
    while (t < limit) {
      const WallTime w = wall(t);
      if (fixed_time_ && gapSwallowedAFiring(t, w, wall)) return t;
      if (!dayMatches(w) || !hours_[static_cast<std::size_t>(w.hour)]) {
        // To the next wall-clock hour: zones change offset on an hour (a few on a half hour),
        // and the step ends on such a boundary, so no change is stepped over.
        t += seconds((60 - w.minute) * 60);
        continue;
      }
      if (minutes_[static_cast<std::size_t>(w.minute)] &&
          !(fixed_time_ && repeatsEarlierWallTime(t, w, wall))) {
        return t;
      }
      t += seconds(60);
    }
    return std::nullopt;
  });
}

}  // namespace mobisync::values
