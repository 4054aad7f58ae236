// SPDX-License-Identifier: Apache-2.0
// Retry-After: how long a provider asks us to wait, as delta-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace mobisync::provider_http {

/// Parses a Retry-After value (RFC 9110 10.2.3) relative to `now`: delta-seconds, or an
/// HTTP-date in any of the three formats RFC 9110 5.6.7 says a recipient must accept
/// (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
/// asctime "Sun Nov  6 08:49:37 1994"). Surrounding white space is ignored. A date in the past
/// gives 0; more than 6 digits of seconds is clamped to a day. Garbage, empty or negative gives
/// nullopt.
std::optional<std::chrono::milliseconds> parseRetryAfter(
    const std::string& value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace mobisync::provider_http
