// SPDX-License-Identifier: Apache-2.0
// What an HTTP status from the provider means for the request that got it (fluent-bit out_http).
#pragma once

namespace mobisync::provider_http {

enum class StatusClass {
  Success,     ///< 2xx: read the body
  Retryable,   ///< 408, 429, 5xx, and 1xx as a final answer: the same request may pass later
  AuthFailed,  ///< 401: the credentials were refused; no request will pass, stop
  Permanent,   ///< 3xx (never followed) and the other 4xx: sending the same again gets the same
};

/// Classifies `status`. Anything outside 100..599 counts as a broken answer: retryable below
/// 200, like a server error above 599.
StatusClass classifyStatus(int status);

}  // namespace mobisync::provider_http
