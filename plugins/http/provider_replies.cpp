// SPDX-License-Identifier: Apache-2.0
// The provider's answers: status classification (retry, drop, stop) and the reply parsers.
#include "provider_replies.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include "provider_http/retry_after.hpp"
#include "provider_http/status_class.hpp"

namespace mobisync::plugins::http {
namespace {

constexpr std::size_t kQuoteLimit = 200;

std::string cut(const std::string& text) {
  std::string t = Poco::trim(text);
  if (t.size() > kQuoteLimit) t = t.substr(0, kQuoteLimit) + "...";
  return t;
}

// Nullptr when `body` is not a JSON object.
Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    // Not JSON: callers quote the text instead.
  } catch (const std::exception&) {
  }
  return nullptr;
}

std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return {};
  try {
    return o->get(key).convert<std::string>();
  } catch (const Poco::Exception&) {
    return {};
  }
}

std::string statusLine(int status, const std::string& reason) {
  return "HTTP " + std::to_string(status) + (reason.empty() ? std::string() : " " + reason);
}

}  // namespace

std::string providerMessage(const std::string& body) {
  if (Poco::JSON::Object::Ptr o = parseObject(body)) {
    for (const char* key : {"message", "error", "detail"}) {
      const std::string said = text(o, key);
      if (!said.empty()) return cut(said);
    }
  }
  return cut(body);
}

Classified classifyAnswer(int status, const std::string& reason, const std::string& body,
                          const std::string& retry_after,
                          std::chrono::system_clock::time_point now) {
  Classified c;
  const provider_http::StatusClass kind = provider_http::classifyStatus(status);
  if (kind == provider_http::StatusClass::Success) {
    c.verdict = Verdict::Accepted;
    c.detail = statusLine(status, reason);
    return c;
  }
  const std::string said = providerMessage(body);
  c.detail = statusLine(status, reason) + (said.empty() ? std::string() : ": " + said);
  switch (kind) {
    case provider_http::StatusClass::AuthFailed:
      c.verdict = Verdict::AuthFailed;
      break;
    case provider_http::StatusClass::Retryable:
      c.verdict = Verdict::Retry;
      if (auto delay = provider_http::parseRetryAfter(retry_after, now)) {
        c.detail += "; retry_after_ms=" + std::to_string(delay->count());
      }
      break;
    case provider_http::StatusClass::Permanent:
    case provider_http::StatusClass::Success:
      c.verdict = Verdict::Drop;
      break;
  }
  return c;
}

Result<std::string> parseSingleReply(const std::string& body) {
  Poco::JSON::Object::Ptr o = parseObject(body);
  if (!o) return Status::unavailable("answer is not a JSON object: " + cut(body));
  const std::string id = text(o, "id");
  if (id.empty()) return Status::rejected("answer has no message id: " + cut(body));
  return id;
}

Result<CampaignReply> parseCampaignReply(const std::string& body) {
  Poco::JSON::Object::Ptr o = parseObject(body);
  if (!o) return Status::unavailable("campaign answer is not a JSON object: " + cut(body));
  CampaignReply reply;
  reply.campaign_id = text(o, "id");
  if (reply.campaign_id.empty()) {
    return Status::rejected("campaign answer has no campaign id: " + cut(body));
  }
  if (o->has("recipients")) {
    Poco::JSON::Array::Ptr list = o->getArray("recipients");
    if (!list) return Status::rejected("campaign answer's recipients is not an array");
    reply.lists_recipients = true;
    for (std::size_t i = 0; i < list->size(); ++i) {
      Poco::JSON::Object::Ptr r = list->getObject(static_cast<unsigned>(i));
      if (!r) continue;
      const std::string reference = text(r, "reference");
      if (reference.empty()) continue;
      reply.by_reference[reference] = CampaignRecipient{text(r, "id"), text(r, "status")};
    }
  }
  return reply;
}

Result<plugin::NumberStatus> parseHlrReply(const std::string& body, const std::string& msisdn) {
  Poco::JSON::Object::Ptr o = parseObject(body);
  if (!o) return Status::unavailable("HLR answer is not a JSON object: " + cut(body));
  Poco::JSON::Array::Ptr results = o->has("results") ? o->getArray("results") : nullptr;
  if (!results || results->size() == 0) {
    return Status::rejected("HLR answer has no results: " + cut(body));
  }
  Poco::JSON::Object::Ptr result;
  for (std::size_t i = 0; i < results->size() && !result; ++i) {
    Poco::JSON::Object::Ptr r = results->getObject(static_cast<unsigned>(i));
    if (r && text(r, "to") == msisdn) result = r;
  }
  if (!result) result = results->getObject(0);
  if (!result) return Status::rejected("HLR answer's first result is not an object");

  plugin::NumberStatus s;
  Poco::JSON::Object::Ptr network = result->getObject("originalNetwork");
  s.network = text(network, "networkName");
  s.country = countryOfMcc(text(result, "mccMnc"));
  if (s.country.empty()) s.country = text(network, "countryName");
  const std::string ported = text(result, "ported");
  s.ported = ported == "true" || ported == "1";

  Poco::JSON::Object::Ptr status = result->getObject("status");
  Poco::JSON::Object::Ptr error = result->getObject("error");
  const std::string group = Poco::toUpper(text(status, "groupName"));
  const std::string error_name = Poco::toUpper(text(error, "name"));
  if (group == "DELIVERED") {
    s.state = plugin::NumberStatus::State::Active;
  } else if (group == "UNDELIVERABLE" || error_name.find("ABSENT_SUBSCRIBER") != std::string::npos) {
    s.state = plugin::NumberStatus::State::Inactive;
  } else {
    s.state = plugin::NumberStatus::State::Unknown;
  }
  s.detail = group.empty() ? std::string("no status") : group;
  const std::string name = text(status, "name");
  if (!name.empty()) s.detail += " " + name;
  if (!error_name.empty() && error_name != "NO_ERROR") {
    s.detail += " (" + text(error, "name");
    const std::string description = text(error, "description");
    if (!description.empty()) s.detail += ": " + description;
    if (text(error, "permanent") == "true") s.detail += ", permanent";
    s.detail += ")";
  }
  return s;
}

Result<SimpleReply> parseSimpleReply(const std::string& body) {
  const std::string t = Poco::trim(body);
  SimpleReply r;
  if (t == "OK" || t.rfind("OK ", 0) == 0) {
    r.ok = true;
    r.message_id = Poco::trim(t.substr(2));
    if (r.message_id.empty()) return Status::rejected("Simple API answered OK without a message id");
    return r;
  }
  if (t.rfind("ERROR", 0) == 0) {
    std::string rest = Poco::trim(t.substr(5));
    std::size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) {
      ++digits;
    }
    if (digits > 0 && digits < 6) {
      r.code = std::stoi(rest.substr(0, digits));
      rest = Poco::trim(rest.substr(digits));
    }
    r.reason = cut(rest);
    return r;
  }
  return Status::rejected("Simple API answer is neither OK nor ERROR: " + cut(body));
}

std::string countryOfMcc(const std::string& mcc_mnc) {
  if (mcc_mnc.size() < 3) return {};
  static constexpr std::array<std::pair<const char*, const char*>, 50> kTable = {{
      {"202", "GR"}, {"204", "NL"}, {"206", "BE"}, {"208", "FR"}, {"214", "ES"}, {"222", "IT"},
      {"226", "RO"}, {"228", "CH"}, {"230", "CZ"}, {"232", "AT"}, {"234", "GB"}, {"235", "GB"},
      {"238", "DK"}, {"240", "SE"}, {"242", "NO"}, {"244", "FI"}, {"260", "PL"}, {"262", "DE"},
      {"268", "PT"}, {"270", "LU"}, {"272", "IE"}, {"274", "IS"}, {"302", "CA"}, {"310", "US"},
      {"311", "US"}, {"312", "US"}, {"313", "US"}, {"314", "US"}, {"315", "US"}, {"316", "US"},
      {"334", "MX"}, {"404", "IN"}, {"405", "IN"}, {"424", "AE"}, {"425", "IL"}, {"440", "JP"},
      {"450", "KR"}, {"454", "HK"}, {"460", "CN"}, {"502", "MY"}, {"505", "AU"}, {"510", "ID"},
      {"515", "PH"}, {"520", "TH"}, {"525", "SG"}, {"530", "NZ"}, {"621", "NG"}, {"639", "KE"},
      {"655", "ZA"}, {"724", "BR"},
  }};
  const std::string mcc = mcc_mnc.substr(0, 3);
  for (const auto& [code, iso] : kTable) {
    if (mcc == code) return iso;
  }
  return {};
}

}  // namespace mobisync::plugins::http
