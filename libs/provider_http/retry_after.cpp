// SPDX-License-Identifier: Apache-2.0
// Retry-After: how long a provider asks us to wait, as delta-seconds or an HTTP-date.
#include "provider_http/retry_after.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

#include <algorithm>
#include <cctype>

#include "mobisync/text.hpp"

namespace mobisync::provider_http {
namespace {

// Poco's parser is lenient (it skips what it does not expect), so only text with the shape of
// an HTTP-date reaches it: letters (a weekday, a month), at least 8 digits (day, hh, mm, ss and
// a year) and the two colons of hh:mm:ss.
bool looksLikeDate(const std::string& v) {
  const bool letters = std::any_of(v.begin(), v.end(), [](unsigned char c) {
    return std::isalpha(c) != 0;
  });
  const auto digits = std::count_if(v.begin(), v.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
  return letters && digits >= 8 && std::count(v.begin(), v.end(), ':') == 2;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(
    const std::string& value, std::chrono::system_clock::time_point now) {
  const std::string v(text::trimSpace(value));
  if (v.empty()) {
    return std::nullopt;
  }
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    // More than a day is nonsense for a rate limit; clamp instead of overflowing.
    if (v.size() > 6) {
      return std::chrono::milliseconds(86'400'000);
    }
    return std::chrono::milliseconds(std::stoll(v) * 1000);
  }
  if (!looksLikeDate(v)) {
    return std::nullopt;
  }
  // The parser takes a two-digit year under %Y as year 94 AD, so pick the format by shape:
  // a comma and dashes is RFC 850, a comma alone IMF-fixdate, no comma asctime.
  const std::string& fmt = v.find(',') == std::string::npos ? Poco::DateTimeFormat::ASCTIME_FORMAT
                           : v.find('-') != std::string::npos
                               ? Poco::DateTimeFormat::RFC850_FORMAT
                               : Poco::DateTimeFormat::HTTP_FORMAT;
  Poco::DateTime when;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(fmt, v, when, tzd) || when.year() < 1970) {
    return std::nullopt;
  }
  when.makeUTC(tzd);
  const auto when_us = std::chrono::microseconds(when.timestamp().epochMicroseconds());
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch());
  const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(when_us - now_us);
  return std::max(delta, std::chrono::milliseconds(0));
}

}  // namespace mobisync::provider_http
