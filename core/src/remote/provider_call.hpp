// SPDX-License-Identifier: Apache-2.0
// ProviderCall and CallResult: one create or remove at the contacts proxy API, and its outcome.
#pragma once

#include <string>
#include <vector>

#include "config/provider_settings.hpp"
#include "mobisync/status.hpp"

namespace mobisync::remote {

/// One call: all application tokens of one msisdn in one direction.
struct ProviderCall {
  enum class Kind { Create, Remove };
  Kind kind = Kind::Create;
  std::string msisdn;
  std::vector<std::string> applications;
  std::string name;
  std::string reference;
};

/// The provider's answer for one token of a call.
struct TokenOutcome {
  std::string application;
  bool ok = false;
  std::string detail;  ///< the provider's value when not "ok"
};

/// How a call ended after all retries. `status` is ok when the provider answered 200 with JSON
/// (tokens may still have failed one by one); Rejected for a permanent error (4xx other than
/// 408/429, a bad response body); Unavailable when retries ran out.
/// A 200 body that is not JSON at all (empty, cut short) counts as retryable, not as a bad body:
/// something on the way truncated it, and the calls are idempotent (see classifyResponse).
struct CallResult {
  Status status;
  std::vector<TokenOutcome> tokens;
  /// Requests sent, including one sent again at once on a fresh connection after a reused
  /// keep-alive connection failed: the provider may have seen it, so it is a retry too.
  int attempts = 0;
  int http_status = 0;
};

}  // namespace mobisync::remote
