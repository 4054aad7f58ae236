// SPDX-License-Identifier: Apache-2.0
// Retry-After: delta-seconds and the three HTTP-date formats of RFC 9110, as one table.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "provider_http/retry_after.hpp"

namespace mobisync::provider_http {
namespace {

using std::chrono::milliseconds;

// Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110, so no case depends on the clock.
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));

struct Row {
  const char* value;
  std::optional<milliseconds> delay;  // nullopt: refused
};

}  // namespace

TEST_SUITE("libs.provider_http") {
  TEST_CASE("Retry-After accepts delta-seconds and every HTTP-date format RFC 9110 names") {
    const std::vector<Row> table = {
        // delta-seconds, with surrounding white space, clamped to a day past 6 digits
        {"1", milliseconds(1000)},
        {" 120 ", milliseconds(120000)},
        {"\t7\r\n", milliseconds(7000)},
        {"0", milliseconds(0)},
        {"999999", milliseconds(999'999'000)},
        {"9999999", milliseconds(86'400'000)},
        {"99999999999999999999", milliseconds(86'400'000)},
        // IMF-fixdate (the preferred format)
        {"Sun, 06 Nov 1994 08:49:47 GMT", milliseconds(10000)},
        {"  Sun, 06 Nov 1994 08:49:47 GMT  ", milliseconds(10000)},
        {"Mon, 07 Nov 1994 08:49:37 GMT", milliseconds(86'400'000)},
        // obsolete RFC 850, two-digit year
        {"Sunday, 06-Nov-94 08:49:39 GMT", milliseconds(2000)},
        // obsolete asctime, day padded with a space
        {"Sun Nov  6 08:49:42 1994", milliseconds(5000)},
        // a date in the past means now, in every format
        {"Sun, 06 Nov 1994 08:00:00 GMT", milliseconds(0)},
        {"Sunday, 06-Nov-94 08:00:00 GMT", milliseconds(0)},
        {"Sun Nov  6 08:00:00 1994", milliseconds(0)},
        {"Thu, 01 Jan 1970 00:00:00 GMT", milliseconds(0)},
        // garbage is refused, never guessed at
        {"", std::nullopt},
        {"   ", std::nullopt},
        {"soon", std::nullopt},
        {"-5", std::nullopt},
        {"+5", std::nullopt},
        {"1.5", std::nullopt},
        {"12abc", std::nullopt},
        {"Sun, 06 Nov", std::nullopt},
        {"Sun, 06 Nov 19 08:49:47 GMT", std::nullopt},
        {"06 Nov 1994", std::nullopt},
        {"Sun, 06 Nov 1994 08:49 GMT", std::nullopt},
    };
    for (const Row& row : table) {
      CAPTURE(std::string(row.value));
      CHECK(parseRetryAfter(row.value, kNow) == row.delay);
    }
  }

  TEST_CASE("Retry-After is never negative, whatever the text") {
    for (const char* value : {"0", "Sat, 05 Nov 1994 08:49:37 GMT", "Sun Nov  6 08:49:36 1994",
                              "Saturday, 05-Nov-94 08:49:37 GMT"}) {
      CAPTURE(std::string(value));
      const auto delay = parseRetryAfter(value, kNow);
      REQUIRE(delay.has_value());
      CHECK(delay->count() == 0);
    }
  }
}

}  // namespace mobisync::provider_http
