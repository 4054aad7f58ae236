// SPDX-License-Identifier: Apache-2.0
// Fuzzes the provider response parser (classifyResponse), the Retry-After parser and the
// password scrubbers. Invariants: Ok carries one outcome per requested token, a Retry-After is
// never negative, and scrubbed text never contains the secret.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "remote/proxy_protocol.hpp"

namespace r = mobisync::remote;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  // Two bytes choose the HTTP status; the rest splits at the first NUL into the Retry-After
  // header and the body.
  const int status = 100 + (data[0] | (data[1] << 8)) % 500;
  std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  std::string retry_after;
  std::string body = rest;
  if (auto nul = rest.find('\0'); nul != std::string::npos) {
    retry_after = rest.substr(0, nul);
    body = rest.substr(nul + 1);
  }
  const std::vector<std::string> apps = {"contacts:42", "optouts:call"};
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600));

  r::Attempt a = r::classifyResponse(status, "Reason", body, retry_after, apps, now);
  if (a.outcome == r::Attempt::Outcome::Ok && a.tokens.size() != apps.size()) std::abort();
  if (a.outcome != r::Attempt::Outcome::Ok && a.message.empty()) std::abort();
  if (a.retry_after && a.retry_after->count() < 0) std::abort();
  if (auto ra = mobisync::provider_http::parseRetryAfter(retry_after, now); ra && ra->count() < 0) std::abort();

  const std::string secret = "Pw0rd-fuzz";
  if (mobisync::provider_http::scrubSecret(body, secret).find(secret) != std::string::npos) std::abort();
  if (mobisync::provider_http::scrubSecret(body + secret + body, secret).find(secret) != std::string::npos) std::abort();
  const std::string url = "/api/contacts/create?username=u&password=" + body + "&msisdn=1";
  (void)mobisync::provider_http::redactUrl(url);
  return 0;
}
