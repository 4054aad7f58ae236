// SPDX-License-Identifier: Apache-2.0
// Webhook bodies through Poco::JSON. Fields are read leniently (a number where a string is
// expected is taken as its text): the provider's wiki shows names, not types.
#include "notify/webhook_payloads.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "mobisync/text.hpp"

namespace mobisync::notify {

namespace {

constexpr std::size_t kBodyExcerpt = 80;

Result<Poco::JSON::Object::Ptr> parseObject(std::string_view body, const char* what) {
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(std::string(body));
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    // reported below, with the body's beginning rather than the parser's words
  }
  return Status::rejected(std::string(what) + ": not a JSON object: " +
                          text::quoted(body, kBodyExcerpt));
}

std::string textOf(const Poco::JSON::Object& o, const char* key) {
  if (!o.has(key) || o.isNull(key)) return {};
  try {
    return o.get(key).convert<std::string>();
  } catch (const Poco::Exception&) {
    return {};  // an object or array where text was expected: ignored, not fatal
  }
}

std::int64_t integerOf(const Poco::JSON::Object& o, const char* key) {
  const std::string t = textOf(o, key);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  return ec == std::errc() ? n : 0;
}

std::int64_t timeOf(const Poco::JSON::Object& o, const char* key) {
  return parseProviderTime(textOf(o, key));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::int64_t parseProviderTime(std::string_view text) {
  const std::string t(text::trimBlanks(text));
  if (t.empty()) return 0;
  if (std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); })) {
    std::int64_t n = 0;
    std::from_chars(t.data(), t.data() + t.size(), n);
    return n > 100'000'000'000 ? n : n * 1000;  // ms already, else seconds
  }
  Poco::DateTime when;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(t, when, tzd)) return 0;
  when.makeUTC(tzd);
  return when.timestamp().epochMicroseconds() / 1000;
}

std::string WebhookReceipt::receiptState() const {
  const std::string s = lower(text::trimBlanks(status));
  if (s == "delivered" || s == "delivrd") return "DELIVRD";
  if (s == "undelivered" || s == "undeliverable" || s == "undeliv" || s == "failed") {
    return "UNDELIV";
  }
  if (s == "rejected" || s == "rejectd" || s == "blocked") return "REJECTD";
  if (s == "expired") return "EXPIRED";
  if (s == "deleted") return "DELETED";
  if (s == "sent" || s == "submitted" || s == "accepted" || s == "pending" || s == "queued" ||
      s == "enroute" || s == "buffered" || s == "scheduled") {
    return "ENROUTE";
  }
  return "UNKNOWN";
}

std::string WebhookReceipt::detail() const {
  return text::excerpt(status, 60) + " (code " + std::to_string(status_code) + ")";
}

Result<WebhookReceipt> parseWebhookReceipt(std::string_view body) {
  auto parsed = parseObject(body, "receipt");
  if (!parsed) return parsed.error();
  const Poco::JSON::Object& o = **parsed;
  WebhookReceipt r;
  r.delivery_message_id = textOf(o, "deliveryMessageId");
  if (r.delivery_message_id.empty()) {
    return Status::rejected("receipt: no deliveryMessageId in " + text::quoted(body, kBodyExcerpt));
  }
  r.batch_id = textOf(o, "batchId");
  r.client_reference = textOf(o, "clientReference");
  r.status = textOf(o, "status");
  r.status_code = integerOf(o, "statusCode");
  r.parts = integerOf(o, "parts");
  r.created_ms = timeOf(o, "created");
  if (o.has("hlr") && !o.isNull("hlr")) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(o.get("hlr"), out);
    r.hlr = out.str();
  }
  return r;
}

Result<plugin::InboundMessage> parseWebhookIncoming(std::string_view body) {
  auto parsed = parseObject(body, "incoming message");
  if (!parsed) return parsed.error();
  const Poco::JSON::Object& o = **parsed;
  plugin::InboundMessage m;
  m.id = textOf(o, "id");
  m.from = textOf(o, "originator");
  if (!m.from.empty() && m.from.front() == '+') m.from.erase(0, 1);
  if (m.from.empty()) {
    return Status::rejected("incoming message: no originator in " +
                            text::quoted(body, kBodyExcerpt));
  }
  m.to = textOf(o, "recipient");
  m.text = textOf(o, "body");
  m.received_at_ms = timeOf(o, "created");
  m.in_reply_to = textOf(o, "inReplyTo");
  return m;
}

}  // namespace mobisync::notify
