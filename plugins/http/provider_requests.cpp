// SPDX-License-Identifier: Apache-2.0
// The provider's request bodies: JSON single and batch sends, the Simple API form, HLR lookup.
#include "provider_requests.hpp"

#include <sstream>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

namespace mobisync::plugins::http {
namespace {

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// Form encoding as application/x-www-form-urlencoded expects: everything but unreserved
// characters percent-encoded, so '+', '&' and '=' in a message survive.
std::string formEncode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|}~ ", out);
  return out;
}

}  // namespace

std::string singleSendBody(const OutgoingSms& sms, const std::string& route_id,
                           const std::string& campaign_id, const std::string& callback_url) {
  Poco::JSON::Object o;
  o.set("originator", sms.originator);
  o.set("recipient", sms.recipient);
  o.set("body", sms.text);
  o.set("routeId", route_id);
  if (!sms.reference.empty()) o.set("reference", sms.reference);
  if (!campaign_id.empty()) o.set("campaignId", campaign_id);
  if (!callback_url.empty()) o.set("callbackURL", callback_url);
  return stringify(o);
}

std::string batchSendBody(const BatchSettings& settings, const std::vector<OutgoingSms>& chunk) {
  Poco::JSON::Object o;
  if (!settings.name.empty()) o.set("name", settings.name);
  if (!settings.schedule_date_time.empty()) o.set("scheduleDateTime", settings.schedule_date_time);
  o.set("routeId", settings.route_id);
  o.set("excludeOptouts", settings.exclude_optouts);
  o.set("excludeDuplicates", settings.exclude_duplicates);
  if (settings.spread_hours > 0) o.set("spreadHours", settings.spread_hours);
  o.set("shortenUrls", settings.shorten_urls);
  if (!settings.callback_url.empty()) o.set("callbackURL", settings.callback_url);
  Poco::JSON::Array::Ptr recipients = new Poco::JSON::Array;
  for (const auto& sms : chunk) {
    Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
    r->set("recipient", sms.recipient);
    r->set("text", sms.text);
    r->set("originator", sms.originator);
    r->set("reference", sms.reference);
    recipients->add(r);
  }
  o.set("recipients", recipients);
  return stringify(o);
}

std::string hlrLookupBody(const std::string& msisdn) {
  Poco::JSON::Object o;
  Poco::JSON::Array::Ptr recipients = new Poco::JSON::Array;
  recipients->add(msisdn);
  o.set("recipients", recipients);
  return stringify(o);
}

std::string simpleApiForm(const std::string& username, const std::string& password,
                          const OutgoingSms& sms, const std::string& route_id) {
  return "USER_NAME=" + formEncode(username) + "&PASSWORD=" + formEncode(password) +
         "&ORIGINATOR=" + formEncode(sms.originator) + "&RECIPIENT=" + formEncode(sms.recipient) +
         "&ROUTE=" + formEncode(route_id) + "&MESSAGE_TEXT=" + formEncode(sms.text);
}

std::string scheduleDateTime(std::chrono::system_clock::time_point when,
                             std::chrono::seconds delay, int utc_offset_minutes) {
  const auto local = when + delay + std::chrono::minutes(utc_offset_minutes);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(local.time_since_epoch()).count();
  const Poco::DateTime dt(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)));
  const int abs_offset = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  const auto two = [](int v) { return std::string(1, char('0' + v / 10 % 10)) + char('0' + v % 10); };
  const std::string zone = std::string(utc_offset_minutes < 0 ? "-" : "+") + two(abs_offset / 60) +
                           ":" + two(abs_offset % 60);
  return Poco::DateTimeFormatter::format(dt, "%Y-%m-%dT%H:%M:%S") + zone;
}

}  // namespace mobisync::plugins::http
