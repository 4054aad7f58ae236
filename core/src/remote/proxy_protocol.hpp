// SPDX-License-Identifier: Apache-2.0
// The contacts proxy API as pure functions: request targets, redaction, response classification.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "provider_http/redaction.hpp"
#include "provider_http/retry_after.hpp"
#include "remote/provider_call.hpp"

namespace mobisync::remote {

/// The result of ONE HTTP attempt, classified like fluent-bit's out_http (Ok, Retry, Drop).
/// Value type; `message` never holds the password.
struct Attempt {
  enum class Outcome { Ok, Retry, Drop };
  Outcome outcome = Outcome::Retry;
  int http_status = 0;  ///< 0 when no response arrived
  std::string message;  ///< why, for Retry and Drop
  std::vector<TokenOutcome> tokens;  ///< one per requested token, Ok only
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a Retry-After header
  bool auth_failed = false;  ///< the provider refused the credentials: every call would fail
  bool stop_run = false;     ///< no later call can succeed either (auth, TLS certificate)
  /// What answered is not the proxy API (a JSON body that is not an object, a huge body): the
  /// run stops and counts as the provider being unavailable, not as a refusal of this number.
  bool not_the_api = false;
  int resends = 0;  ///< extra requests sent at once after a stale keep-alive connection
};

/// The message every call gets once the provider refused the credentials.
inline constexpr const char* kAuthFailedMessage =
    "provider refused the credentials (401 Not Authenticated)";

/// Builds `<base path><create_path|delete_path>?username=..&password=..&msisdn=..&applications=a,b
/// [&name=..][&reference=..]`, every value URL-encoded. `base_path` is the path part of the base
/// URL ("" or "/prefix"). The result contains the password: pass it through redactUrl before
/// printing it anywhere.
std::string buildCallTarget(const std::string& base_path, const config::ProviderSettings& settings,
                            const ProviderCall& call);

/// Classifies one HTTP response of the proxy API.
/// - 2xx with a JSON object: Ok; each token of `applications` is ok when its value is "ok", and
///   failed (with the provider's value, or "missing") otherwise. A body `{"code": N, ...}` with
///   N >= 400 is classified as if the HTTP status were N.
/// - 2xx whose body is not valid JSON (empty, truncated): Retry. A proxy or a dropped connection
///   truncated it, and creates and removes are idempotent, so sending again is safe.
/// - 2xx with valid JSON that is not an object: Drop (the provider answered something we do not
///   understand; sending the same again would get the same).
/// - 401, or body code 401: Drop with kAuthFailedMessage, auth_failed and stop_run.
/// - 408, 429, 5xx (and 1xx): Retry, with `retry_after` parsed from `retry_after_header`.
/// - other 3xx and 4xx: Drop with the provider's message.
Attempt classifyResponse(int http_status, const std::string& reason, const std::string& body,
                         const std::string& retry_after_header,
                         const std::vector<std::string>& applications,
                         std::chrono::system_clock::time_point now =
                             std::chrono::system_clock::now());

}  // namespace mobisync::remote
