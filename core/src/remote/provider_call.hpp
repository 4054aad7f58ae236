// SPDX-License-Identifier: Apache-2.0
// ProviderCall and CallResult: one create or remove at the contacts proxy API, and its outcome.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "mobisync/status.hpp"

namespace mobisync::remote {

/// Connection and behaviour settings for the contacts proxy API (the `[provider]` table).
struct ProviderSettings {
  std::string base_url = "https://tasks-wave.mobivate.com";
  std::string create_path = "/api/contacts/create";
  std::string delete_path = "/api/contacts/delete";
  std::string username;
  std::string password;  ///< secret: never logged, never in an error
  int concurrency = 8;   ///< requests in flight
  double rate_per_second = 0;  ///< 0: unlimited
  int max_attempts = 6;  ///< including the first
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds backoff_initial{200};
  std::chrono::milliseconds backoff_max{30000};
  std::string ca_file;   ///< extra CA bundle for https; system CAs otherwise
  bool verify_tls = true;
};

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
