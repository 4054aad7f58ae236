// SPDX-License-Identifier: Apache-2.0
// AppConfig: the validated configuration of one mobisync process, free of TOML types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mobisync/plugin/config_values.hpp"
#include "values/event.hpp"
#include "config/optout_settings.hpp"
#include "config/provider_settings.hpp"
#include "config/webhook_settings.hpp"

namespace mobisync::config {

/// How many removals a job may make in one run: a count, or a percentage of its current pairs.
struct MaxDelete {
  bool percent = true;
  double value = 10.0;

  /// The number of removals allowed when the job currently holds `current` pairs.
  std::int64_t allowed(std::int64_t current) const;
  /// "10%" or "25", as the user wrote it.
  std::string text() const;
};

/// A named source instance: which plugin, and its validated keys.
struct SourceConfig {
  std::string name;
  std::string plugin;
  plugin::ConfigValues values;
  std::string origin;  ///< "file:line:col" of the [[source]] table
};

/// A sync job: a source mapped to applications, with its safety settings.
struct JobConfig {
  std::string name;
  std::string source;
  std::string default_region;
  std::vector<std::string> applications;  ///< canonical tokens; used for rows without their own
  MaxDelete max_delete;
  /// How many rows whose number cannot be read one run may have (a count, or a percentage of
  /// the rows read) before its removals are held: such rows may be contacts the source still
  /// holds. Same arithmetic as max_delete.
  MaxDelete max_reject{true, 1.0};
  /// Longest a run may take, in milliseconds; 0: no limit. On reaching it the run stops making
  /// calls, records what was confirmed and ends as failed.
  std::int64_t max_run_ms = 0;
  std::string reject_file;  ///< absolute path
  bool enabled = true;
  std::string schedule;  ///< cron expression, validated; empty: not scheduled
  std::string timezone;  ///< tz database zone, validated; empty: the host's zone
  bool hlr = false;                 ///< look numbers up before subscribing them
  std::string hlr_via;              ///< the [[notifier]] that looks them up
  std::int64_t hlr_max_age_hours = 720;
  /// Source attributes this job's contact notifications name, kept from the source for them.
  std::vector<std::string> notify_attributes;
  std::string origin;
};

/// A named notifier instance: which plugin, and its validated keys.
struct NotifierConfig {
  std::string name;
  std::string plugin;
  plugin::ConfigValues values;
  std::string origin;
};

/// A [[notify]] rule: on `event`, render `template_text` and send it via `via`.
struct NotifyRule {
  std::string name;           ///< part of the dedup key: keep it stable
  values::Event event = values::Event::JobFailed;
  std::string via;
  bool to_contact = false;          ///< send to the contact of a contact event
  std::vector<std::string> to;      ///< admin numbers, E.164 digits
  std::vector<std::string> jobs;    ///< empty: every job
  std::string originator;           ///< empty: the notifier's own
  std::string template_text;        ///< parsed and checked against the event at load
  std::string origin;

  bool appliesTo(const std::string& job) const;
};

/// `mobisync run`: how long a stop may wait for jobs in flight, and how long a job's lease lasts
/// unless renewed (`sync` takes the same lease).
struct DaemonConfig {
  std::int64_t stop_timeout_seconds = 30;
  std::int64_t lease_ttl_ms = 30000;
};

/// The Prometheus listener of `mobisync run`.
struct MetricsConfig {
  std::string listen = "127.0.0.1:9464";  ///< host:port; empty: no listener
};

/// `[messaging]`: what happens to messages after they are sent.
struct MessagingConfig {
  /// A submitted message without a final receipt this long becomes `unknown`.
  std::int64_t receipt_expiry_ms = 48LL * 3600 * 1000;
};

struct LogConfig {
  std::string level = "information";
  std::string file;  ///< empty: stderr
  std::string format = "text";  ///< "text" (the house pattern) or "json" (one object a line)
};

/// Everything `mobisync` needs to run, validated. Value type.
struct AppConfig {
  std::string file;  ///< the config file, absolute
  ProviderSettings provider;
  std::string state_path;
  std::string state_url;       ///< [state] url: PostgreSQL instead of the file at state_path
  std::string state_password;  ///< [state] password for state_url; never printed
  std::vector<std::string> plugin_dirs;
  LogConfig log;
  /// Secrets left unread (LoadOptions::resolve_secrets false), as "file:line:col: key: why".
  std::vector<std::string> unresolved_secrets;
  DaemonConfig daemon;
  MetricsConfig metrics;
  MessagingConfig messaging;  ///< [messaging]
  std::vector<SourceConfig> sources;
  std::vector<JobConfig> jobs;
  std::vector<NotifierConfig> notifiers;
  std::vector<NotifyRule> notify_rules;
  OptoutSettings optouts;  ///< [messaging.optouts]
  WebhookSettings webhooks;  ///< [messaging.webhooks]
  std::vector<std::string> warnings;  ///< non-fatal findings, each with its position

  const SourceConfig* findSource(const std::string& name) const;
  const JobConfig* findJob(const std::string& name) const;
  const NotifierConfig* findNotifier(const std::string& name) const;
};

}  // namespace mobisync::config
