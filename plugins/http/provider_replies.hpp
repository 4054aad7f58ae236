// SPDX-License-Identifier: Apache-2.0
// The provider's answers: status classification (retry, drop, stop) and the reply parsers.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"

namespace mobisync::plugins::http {

/// What an HTTP answer means for the messages it carried.
enum class Verdict {
  Accepted,    ///< 2xx: parse the body
  Retry,       ///< 5xx, 408, 429 (and 1xx as a final answer): the same request may pass later
  Drop,        ///< other 4xx (400 invalid, 402 out of credit, 403 opted out): it will not pass
  AuthFailed,  ///< 401: the credentials were refused; nothing will pass, the run must stop
};

/// A verdict and the text that explains it ("HTTP 403 Forbidden: recipient opted out").
/// For Retry with a Retry-After header the detail ends "; retry_after_ms=N".
struct Classified {
  Verdict verdict = Verdict::Accepted;
  std::string detail;
};

/// Classifies one answer by provider_http::classifyStatus, as the core's provider client does:
/// `retry_after` is the Retry-After header (seconds or an HTTP-date), `now` for the latter.
Classified classifyAnswer(int status, const std::string& reason, const std::string& body,
                          const std::string& retry_after,
                          std::chrono::system_clock::time_point now);

/// The provider's own words in an error body: JSON "message" (or "error"), else the text, cut
/// to 200 characters; "" when the body is empty.
std::string providerMessage(const std::string& body);

/// The message id of a `/send/single` 200 answer ({"id": ...}).
Result<std::string> parseSingleReply(const std::string& body);

/// One recipient of a campaign answer.
struct CampaignRecipient {
  std::string id;      ///< the provider's id for this message; may be empty
  std::string status;  ///< "queued", "excluded", ... as the provider says; may be empty
};

/// A `/send/batch` 200 answer: the campaign id and its recipients by reference.
struct CampaignReply {
  std::string campaign_id;
  bool lists_recipients = false;  ///< the answer had a "recipients" array
  std::map<std::string, CampaignRecipient> by_reference;
};

/// Parses a campaign answer; a body that is not a JSON object with an "id" is an error.
Result<CampaignReply> parseCampaignReply(const std::string& body);

/// Maps an HLR answer (results[].status.groupName, .error.name, originalNetwork, ported) for
/// `msisdn` to a NumberStatus: DELIVERED -> Active; UNDELIVERABLE or an absent subscriber ->
/// Inactive; anything else Unknown.
Result<plugin::NumberStatus> parseHlrReply(const std::string& body, const std::string& msisdn);

/// A Simple API answer: "OK <message id>" or "ERROR <code> <reason>".
struct SimpleReply {
  bool ok = false;
  std::string message_id;
  int code = 0;        ///< the code after ERROR, 0 when absent
  std::string reason;  ///< the text after the code
};

/// Parses a Simple API body; anything else is an error quoting (a cut of) the body.
Result<SimpleReply> parseSimpleReply(const std::string& body);

/// ISO 3166 alpha-2 of a mobile country code (the first 3 digits of an MCC-MNC), "" if unknown.
std::string countryOfMcc(const std::string& mcc_mnc);

}  // namespace mobisync::plugins::http
