// SPDX-License-Identifier: Apache-2.0
// The core's config schema: [provider], [state], [log], [plugins], [[source]], [[job]],
// [daemon], [metrics], [[notifier]], [[notify]], [messaging].
#include "config/core_schema.hpp"
#include "config/optout_schema.hpp"
#include "config/webhook_schema.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace mobisync::config {

namespace {
using plugin::ConfigKey;
using plugin::KeyType;

// Every numeric key has a range (KeyRange): a value past it fails `check`, not every call.

constexpr ConfigKey kProviderKeys[] = {
    {"base_url", KeyType::HttpUrl, false, "https://tasks-wave.mobivate.com",
     "Base URL of the contacts proxy API (http:// only for a local simulator)"},
    {"create_path", KeyType::String, false, "/api/contacts/create", "Path of the create call"},
    {"delete_path", KeyType::String, false, "/api/contacts/delete", "Path of the remove call"},
    {"username", KeyType::String, true, nullptr, "Account user name"},
    {"password", KeyType::Secret, true, nullptr,
     "Account password: set password_env = \"VAR\", password_file = \"path\" or "
     "password_credential = \"name\" (systemd LoadCredential=)"},
    {"concurrency", KeyType::PositiveInteger, false, "8", "Requests in flight"},
    {"rate_limit", KeyType::Float, false, "0", "Requests per second at most; 0 = no limit"},
    {"timeout_ms", KeyType::Milliseconds, false, "10000",
     "Longest one call may take, from connecting to the last byte of the answer"},
    {"max_attempts", KeyType::PositiveInteger, false, "6",
     "Attempts per call, the first included"},
    {"backoff_initial_ms", KeyType::Milliseconds, false, "200",
     "First retry delay (then doubled)"},
    {"backoff_max_ms", KeyType::Milliseconds, false, "30000", "Longest retry delay"},
    {"ca_file", KeyType::Path, false, nullptr, "Extra CA certificates (PEM) to trust"},
    {"verify_tls", KeyType::Boolean, false, "true",
     "Verify the provider's certificate; turn off only for a test peer"},
};

constexpr KeyRange kProviderRanges[] = {
    {"concurrency", 1, 64},
    {"rate_limit", 0, 100'000},
    {"timeout_ms", 1, 3'600'000},  // an hour
    {"max_attempts", 1, 100},
    {"backoff_initial_ms", 1, 600'000},
    {"backoff_max_ms", 1, 3'600'000},
};

constexpr ConfigKey kStateKeys[] = {
    {"path", KeyType::Path, false, "mobisync-state.db",
     "SQLite state file (relative to the config file); not with url"},
    {"url", KeyType::String, false, nullptr,
     "PostgreSQL state instead of SQLite: postgresql://user@host:port/database (no password)"},
    {"password", KeyType::Secret, false, nullptr,
     "PostgreSQL password: set password_env = \"VAR\", password_file = \"path\" or "
     "password_credential = \"name\" (systemd LoadCredential=)"},
};

constexpr ConfigKey kLogKeys[] = {
    {"level", KeyType::String, false, "information",
     "error, warning, notice, information, debug or trace"},
    {"file", KeyType::Path, false, nullptr, "Log file; stderr when unset"},
    {"format", KeyType::String, false, "text",
     "text (one line a message, the house pattern) or json (one object a line: time, level, "
     "logger, job, run, message)"},
};

constexpr ConfigKey kPluginsKeys[] = {
    {"dirs", KeyType::StringList, false, nullptr,
     "Plugin directories; default: the build tree's plugins/ when run from it, else the "
     "installed plugin directory"},
};

constexpr ConfigKey kSourceKeys[] = {
    {"name", KeyType::String, true, nullptr, "Name jobs use to refer to this source"},
    {"plugin", KeyType::String, true, nullptr, "Source plugin (see `mobisync plugins list`)"},
};

constexpr ConfigKey kJobKeys[] = {
    {"name", KeyType::String, true, nullptr, "Job name; state is kept per job"},
    {"source", KeyType::String, true, nullptr, "Name of a [[source]]"},
    {"default_region", KeyType::String, true, nullptr,
     "ISO country code for numbers written without a country code, e.g. GB"},
    {"applications", KeyType::StringList, false, nullptr,
     "Application tokens for rows that name none: appointments, recurring:<id>, "
     "contacts:<id>, callcentre:<id>, optouts:sms, optouts:calls"},
    {"max_delete", KeyType::CountOrPercent, false, "10%",
     "Most removals one run may make, a count or a percentage of the job's subscriptions; "
     "more are held until the run is repeated with --force"},
    {"max_reject", KeyType::CountOrPercent, false, "1%",
     "Most rows whose phone number cannot be read that one run may have, a count or a percentage "
     "of the rows read; above it the run's removals are held (such rows may be contacts the "
     "source still holds) until the source is fixed or the run is repeated with --force"},
    {"max_run_seconds", KeyType::Integer, false, nullptr,
     "Longest a run may take, in seconds; on reaching it the run stops making calls, records "
     "what was confirmed and ends as failed (exit 75); unset: no limit"},
    {"reject_file", KeyType::Path, false, nullptr,
     "CSV of rejected rows; default <job>.rejects.csv beside the state file"},
    {"enabled", KeyType::Boolean, false, "true", "Run this job with `sync` (without job names)"},
    {"schedule", KeyType::String, false, nullptr,
     "When `mobisync run` runs this job: a cron expression (\"*/15 * * * *\", \"0 2 * * mon-fri\", "
     "@hourly, @daily, @weekly, @monthly) or @every N{s,m,h}; unset: only `sync` runs it"},
    {"timezone", KeyType::String, false, nullptr,
     "tz database zone the schedule is read in, e.g. Europe/London; default: the host's zone"},
    {"hlr", KeyType::Boolean, false, "false",
     "Look up numbers about to be subscribed (HLR) and skip the ones the network reports "
     "inactive, listing them in the reject file"},
    {"hlr_via", KeyType::String, false, nullptr,
     "Name of the [[notifier]] that does the lookups (one whose plugin can look numbers up); "
     "required with hlr = true"},
    {"hlr_max_age", KeyType::Integer, false, "720",
     "Hours a stored lookup answer is reused before the number is looked up again"},
};

constexpr KeyRange kJobRanges[] = {
    {"max_run_seconds", 1, 604'800},  // a week
    {"hlr_max_age", 0, 87'600},       // ten years, in hours
};

constexpr ConfigKey kNotifierKeys[] = {
    {"name", KeyType::String, true, nullptr,
     "Name [[notify]] rules and jobs use for this notifier"},
    {"plugin", KeyType::String, true, nullptr, "Notifier plugin (see `mobisync plugins list`)"},
};

constexpr ConfigKey kNotifyKeys[] = {
    {"on", KeyType::String, true, nullptr,
     "Event: contact.added, contact.removed, job.succeeded, job.failed, job.blocked, "
     "message.received (a handset sent us a message) or contact.opted_out (a reply opted out)"},
    {"via", KeyType::String, true, nullptr, "Name of the [[notifier]] that sends the message"},
    {"to", KeyType::StringList, true, nullptr,
     "\"contact\" (contact and message events: the person added, removed or replying) or a "
     "list of admin numbers"},
    {"template", KeyType::String, true, nullptr,
     "Message text with {fields}: {name} {msisdn} {reference} {job} and source attributes for "
     "contact events; {job} {added} {removed} {updated} {rejected} {failed} {held} {error} for "
     "job events; {msisdn} {text} {keyword} {notifier} for message.received and "
     "contact.opted_out; {{ and }} for braces"},
    {"name", KeyType::String, false, nullptr,
     "Rule name, part of the key that sends each contact message once; default <on>.<n>, the "
     "n-th rule of that event"},
    {"jobs", KeyType::StringList, false, nullptr, "Only these jobs; default every job"},
    {"originator", KeyType::String, false, nullptr,
     "Sender shown on the phone (up to 11 letters and digits, or up to 15 digits); default the "
     "notifier's"},
    {"region", KeyType::String, false, nullptr,
     "ISO country code for admin numbers written without a country code; unset: write them "
     "with +"},
};

constexpr ConfigKey kDaemonKeys[] = {
    {"stop_timeout", KeyType::Integer, false, "30",
     "Seconds `mobisync run` waits on SIGTERM for the jobs in flight to record their batch"},
    {"lease_ttl", KeyType::Integer, false, "30",
     "Seconds a job's lease lasts unless renewed (every third of it): how long another host "
     "waits to take over the job of a host that died; `sync` takes the same lease"},
};

constexpr KeyRange kDaemonRanges[] = {{"stop_timeout", 1, 3600}, {"lease_ttl", 1, 3600}};

constexpr ConfigKey kMetricsKeys[] = {
    {"listen", KeyType::String, false, "127.0.0.1:9464",
     "host:port of the Prometheus /metrics and /healthz listener of `mobisync run`; empty: off"},
};

constexpr ConfigKey kMessagingKeys[] = {
    {"receipt_expiry", KeyType::Integer, false, "172800",
     "Seconds a submitted message waits for a final delivery receipt before its status becomes "
     "unknown (default 48 hours); a later receipt is still kept in its history"},
};

constexpr KeyRange kMessagingRanges[] = {{"receipt_expiry", 1, 2'592'000}};  // 30 days

constexpr std::array kTables = {
    CoreTable{"provider", false, "The contacts proxy API", kProviderKeys, kProviderRanges},
    CoreTable{"state", false, "Where confirmed state is kept", kStateKeys},
    CoreTable{"log", false, "Logging", kLogKeys},
    CoreTable{"plugins", false, "Plugin loading", kPluginsKeys},
    CoreTable{"source", true, "A source instance; add the plugin's own keys", kSourceKeys},
    CoreTable{"job", true, "A sync job", kJobKeys, kJobRanges},
    CoreTable{"notifier", true, "A notifier instance; add the plugin's own keys", kNotifierKeys},
    CoreTable{"notify", true, "A notification rule: on an event, send a message", kNotifyKeys},
    CoreTable{"daemon", false, "The scheduler of `mobisync run`", kDaemonKeys, kDaemonRanges},
    CoreTable{"metrics", false, "Prometheus metrics of `mobisync run`", kMetricsKeys},
    CoreTable{"messaging", false, "Messages after they are sent: receipts, replies, opt-outs",
              kMessagingKeys, kMessagingRanges},
    CoreTable{"messaging.webhooks", false,
              "The daemon's webhooks for the provider's receipts and replies", kWebhookKeys},
    CoreTable{"messaging.optouts", false, "Replies that opt a number out or back in",
              kOptoutKeys},
    CoreTable{"messaging.optouts.languages.es", false,
              "The keywords of one more language (any code in place of es)",
              kOptoutLanguageKeys},
};
}  // namespace

std::span<const CoreTable> coreTables() { return kTables; }

const KeyRange* CoreTable::range(std::string_view key) const {
  for (const auto& r : ranges) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

const CoreTable& coreTable(std::string_view name) {
  for (const auto& t : kTables) {
    if (t.name == name) return t;
  }
  throw std::logic_error("no core table " + std::string(name));
}

}  // namespace mobisync::config
