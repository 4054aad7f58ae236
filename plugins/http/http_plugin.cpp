// SPDX-License-Identifier: Apache-2.0
// The http notifier plugin's registration: config schema, descriptor and entry symbol only.
#include <iterator>

#include "http_notifier.hpp"
#include "mobisync/plugin/entry.hpp"

namespace mobisync::plugins::http {

namespace {

using plugin::ConfigKey;
using plugin::KeyType;

constexpr ConfigKey kConfigSchema[] = {
    {"api", KeyType::String, false, kDefaultApi,
     "Which API sends: \"json\" (single and batch sends with the API key) or \"simple\" (the "
     "Simple API with username and password)."},
    {"json_base_url", KeyType::HttpUrl, false, kDefaultJsonBaseUrl,
     "Base URL of the JSON API: /send/single, /send/batch and hlr_path go below it."},
    {"simple_url", KeyType::HttpUrl, false, kDefaultSimpleUrl,
     "URL of the Simple API (api = \"simple\")."},
    {"simple_method", KeyType::String, false, kDefaultSimpleMethod,
     "How the Simple API is called: \"GET\" (parameters URL-encoded in the query) or \"POST\" "
     "(form-encoded body)."},
    {"api_key", KeyType::Secret, false, nullptr,
     "The JSON API key, sent as a Bearer token: api_key_env = \"VAR\" or api_key_file = \"path\". "
     "Needed for api = \"json\" and for HLR lookups."},
    {"callback_url", KeyType::Secret, false, nullptr,
     "URL the provider posts this notifier's delivery receipts to (callbackURL of every JSON "
     "send), e.g. the daemon's https://HOST/webhooks/TOKEN/receipt: it holds the webhook token, "
     "so callback_url_env or callback_url_file. Unset: the key's registered webhook, if any."},
    {"username", KeyType::String, false, nullptr,
     "The account's username for the Simple API."},
    {"password", KeyType::Secret, false, nullptr,
     "The account's password for the Simple API: password_env or password_file."},
    {"route_id", KeyType::String, true, nullptr,
     "The provider's route id every message is sent on."},
    {"originator", KeyType::String, false, nullptr,
     "Default sender id: up to 11 letters, digits, spaces or common punctuation, or up to 15 "
     "digits. A message's own originator wins."},
    {"campaign_id", KeyType::String, false, nullptr,
     "Campaign id attached to single sends (JSON API), for the provider's reports."},
    {"batch_chunk", KeyType::PositiveInteger, false, kDefaultBatchChunk,
     "Most recipients per /send/batch request (1 to 10000); larger batches become several "
     "campaigns."},
    {"exclude_optouts", KeyType::Boolean, false, "true",
     "Batch sends: the provider skips recipients who opted out (reported as dropped)."},
    {"exclude_duplicates", KeyType::Boolean, false, "false",
     "Batch sends: the provider skips a recipient listed twice in one campaign."},
    // Integer: 0 is meaningful here and for schedule_delay_s; the plugin bounds both.
    {"spread_hours", KeyType::Integer, false, "0",
     "Batch sends: spread delivery over this many hours (0 to 168); 0 sends at once."},
    {"shorten_urls", KeyType::Boolean, false, "false",
     "Batch sends: the provider shortens URLs in the text."},
    {"schedule_delay_s", KeyType::Integer, false, "0",
     "Batch sends: scheduleDateTime is now plus this many seconds (0 to 31622400)."},
    {"schedule_utc_offset", KeyType::String, false, kDefaultScheduleUtcOffset,
     "Batch sends: the UTC offset scheduleDateTime is written in, e.g. \"+10:00\"."},
    {"hlr_path", KeyType::String, false, kDefaultHlrPath,
     "Path of the HLR lookup below json_base_url (POST {\"recipients\": [...]})."},
    {"timeout_ms", KeyType::Milliseconds, false, kDefaultTimeoutMs,
     "How long one request may take in all, from connecting to the last byte of the answer, "
     "in milliseconds (1 to 600000)."},
    {"ca_file", KeyType::Path, false, nullptr,
     "Extra CA certificates (PEM) trusted for https, besides the system's."},
    {"verify_tls", KeyType::Boolean, false, "true",
     "Verify the provider's TLS certificate and host name; false is for tests only (warned)."},
};

constexpr plugin::Descriptor kDescriptor = plugin::makeDescriptor<HttpNotifier>(
    "http", "0.1.0", plugin::Kind::Notifier,
    "SMS through the provider's HTTP APIs (JSON single and batch, Simple API) and HLR lookup",
    kConfigSchema, std::size(kConfigSchema));

}  // namespace

const plugin::Descriptor* httpDescriptor() { return &kDescriptor; }

MOBISYNC_PLUGIN_ENTRY(httpDescriptor)

}  // namespace mobisync::plugins::http
