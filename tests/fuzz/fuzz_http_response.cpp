// SPDX-License-Identifier: Apache-2.0
// Fuzzes the HTTP notifier's answer classification and reply parsers (JSON single and batch,
// HLR, Simple API text). Invariants: a refusal always explains itself, a Retry-After delay is
// never negative, the provider's message is cut to 200 characters.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "provider_http/retry_after.hpp"
#include "provider_replies.hpp"

namespace h = mobisync::plugins::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int status = 100 + (data[0] | (data[1] << 8)) % 500;
  std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  std::string retry_after;
  std::string body = rest;
  if (auto nul = rest.find('\0'); nul != std::string::npos) {
    retry_after = rest.substr(0, nul);
    body = rest.substr(nul + 1);
  }
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600));

  h::Classified c = h::classifyAnswer(status, "Reason", body, retry_after, now);
  if (c.verdict != h::Verdict::Accepted && c.detail.empty()) std::abort();
  if (auto ra = mobisync::provider_http::parseRetryAfter(retry_after, now); ra && ra->count() < 0) std::abort();
  // Cut to 200 characters (UTF-8 code points or bytes: either way not more than 200 * 4 bytes).
  if (h::providerMessage(body).size() > 800) std::abort();

  if (auto single = h::parseSingleReply(body); !single && single.error().message().empty()) {
    std::abort();
  }
  if (auto campaign = h::parseCampaignReply(body); !campaign &&
                                                    campaign.error().message().empty()) {
    std::abort();
  }
  if (auto hlr = h::parseHlrReply(body, "447930000001"); !hlr && hlr.error().message().empty()) {
    std::abort();
  }
  if (auto simple = h::parseSimpleReply(body); !simple && simple.error().message().empty()) {
    std::abort();
  }
  (void)h::countryOfMcc(body);
  return 0;
}
