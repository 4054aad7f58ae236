// SPDX-License-Identifier: Apache-2.0
// The provider's request bodies: JSON single and batch sends, the Simple API form, HLR lookup.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace mobisync::plugins::http {

/// One message as the provider's send APIs name its fields.
struct OutgoingSms {
  std::string recipient;
  std::string text;
  std::string originator;
  std::string reference;
};

/// `POST /send/single` body: {originator, recipient, body, routeId, reference?, campaignId?,
/// callbackURL?}.
std::string singleSendBody(const OutgoingSms& sms, const std::string& route_id,
                           const std::string& campaign_id, const std::string& callback_url = {});

/// The campaign-level fields of `POST /send/batch`.
struct BatchSettings {
  std::string name;
  std::string schedule_date_time;  ///< ISO 8601 with offset, see scheduleDateTime()
  std::string route_id;
  bool exclude_optouts = true;
  bool exclude_duplicates = false;
  long long spread_hours = 0;      ///< 0: not sent
  bool shorten_urls = false;
  std::string callback_url;        ///< empty: not sent
};

/// `POST /send/batch` body: the settings (callbackURL when set) plus recipients [{recipient,
/// text, originator, reference}].
std::string batchSendBody(const BatchSettings& settings, const std::vector<OutgoingSms>& chunk);

/// `POST <hlr_path>` body: {"recipients": [msisdn]}.
std::string hlrLookupBody(const std::string& msisdn);

/// The Simple API's parameters, URL-encoded as a query string or a form body
/// (USER_NAME, PASSWORD, ORIGINATOR, RECIPIENT, ROUTE, MESSAGE_TEXT). Holds the password.
std::string simpleApiForm(const std::string& username, const std::string& password,
                          const OutgoingSms& sms, const std::string& route_id);

/// `when` plus `delay`, written as ISO 8601 local time at `utc_offset_minutes` with that offset:
/// "2026-11-25T16:40:00+01:00".
std::string scheduleDateTime(std::chrono::system_clock::time_point when,
                             std::chrono::seconds delay, int utc_offset_minutes);

}  // namespace mobisync::plugins::http
