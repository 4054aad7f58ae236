// SPDX-License-Identifier: Apache-2.0
// The core's single tables: [provider], [state], [log], [plugins], [daemon], [metrics], and the
// check that the file names no other top-level table.
#include <charconv>
#include <set>

#include "config/core_schema.hpp"
#include "config/table_readers.hpp"
#include "values/postgres_url.hpp"

namespace mobisync::config {

using plugin::ConfigValues;

namespace {

void readProvider(const ConfigValues& v, ProviderSettings& p) {
  // Fallbacks are the settings' own defaults, so a key that failed validation (already
  // reported) does not cause a second, confusing range error.
  p.base_url = v.string("base_url", p.base_url);
  while (!p.base_url.empty() && p.base_url.back() == '/') p.base_url.pop_back();
  p.create_path = v.string("create_path", p.create_path);
  p.delete_path = v.string("delete_path", p.delete_path);
  p.username = v.string("username");
  p.password = v.string("password");
  p.concurrency = static_cast<int>(v.integer("concurrency", p.concurrency));
  p.rate_per_second = v.number("rate_limit", p.rate_per_second);
  p.timeout = std::chrono::milliseconds(v.integer("timeout_ms", p.timeout.count()));
  p.max_attempts = static_cast<int>(v.integer("max_attempts", p.max_attempts));
  p.backoff_initial =
      std::chrono::milliseconds(v.integer("backoff_initial_ms", p.backoff_initial.count()));
  p.backoff_max = std::chrono::milliseconds(v.integer("backoff_max_ms", p.backoff_max.count()));
  p.ca_file = v.string("ca_file");
  p.verify_tls = v.boolean("verify_tls", true);
}

/// [state]: a file or a PostgreSQL url, not both; the url well-formed and free of a password.
void checkStateLocation(const toml::table& t, Checker& c) {
  const toml::node* url = t.get("url");
  if (url == nullptr) {
    for (const char* key : {"password", "password_env", "password_file", "password_credential"}) {
      if (const toml::node* n = t.get(key)) {
        c.error(n->source(), std::string("state.") + key, "a password is only used with url");
      }
    }
    return;
  }
  if (t.get("path") != nullptr) {
    c.error(url->source(), "state.url",
            "set either path (SQLite) or url (PostgreSQL), not both");
  }
  const std::optional<std::string> text = url->value<std::string>();
  if (!text) return;  // the type check has reported it
  std::string why;
  if (!values::parsePostgresUrl(*text, why)) {
    c.error(url->source(), "state.url", why);
  }
}

void readDaemonTables(AppConfig& cfg, const ConfigValues& dv, const ConfigValues& mv,
                      const toml::table* metrics, Checker& c) {
  // Both are in range (the [daemon] ranges of core_schema.cpp) or left at their defaults.
  cfg.daemon.stop_timeout_seconds = dv.integer("stop_timeout", cfg.daemon.stop_timeout_seconds);
  cfg.daemon.lease_ttl_ms = dv.integer("lease_ttl", cfg.daemon.lease_ttl_ms / 1000) * 1000;
  cfg.metrics.listen = mv.string("listen", cfg.metrics.listen);
  if (cfg.metrics.listen.empty()) return;
  const auto colon = cfg.metrics.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    const std::string digits = cfg.metrics.listen.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) port = -1;
  }
  if (port < 0 || port > 65535) {
    c.error(keyPosition(metrics, "listen"), "metrics.listen",
            "expected host:port such as 127.0.0.1:9464 (port 0: any free port), or \"\" for "
            "no listener; found \"" + text::excerpt(cfg.metrics.listen) + "\"");
  }
}

void checkTopLevelNames(const ConfigDocument& doc) {
  static const std::set<std::string> kTopLevel = {"provider", "state", "log",    "plugins",
                                                  "source",   "job",   "daemon", "metrics",
                                                  "notifier", "notify", "messaging"};
  for (auto&& [key, node] : doc.root) {
    std::string name(key.str());
    if (kTopLevel.count(name) == 0) {
      doc.c.error(key.source(), name,
                  "unknown table; expected [provider], [state], [log], [plugins], [daemon], "
                  "[metrics], [messaging], [[source]], [[job]], [[notifier]] or [[notify]]");
    }
    (void)node;
  }
}

/// [messaging]'s own keys; its sub-tables ([messaging.optouts], [messaging.webhooks]) have
/// readers of their own.
void readMessagingTable(const ConfigDocument& doc, AppConfig& cfg) {
  static const toml::table kEmpty;
  static const std::set<std::string> kSubTables = {"optouts", "webhooks"};
  const toml::table* t = doc.single("messaging");
  const CoreTable& table = coreTable("messaging");
  ConfigValues v;
  doc.c.validate(t != nullptr ? *t : kEmpty, "messaging", table.keys, v, kSubTables,
                 table.ranges);
  cfg.messaging.receipt_expiry_ms =
      v.integer("receipt_expiry", cfg.messaging.receipt_expiry_ms / 1000) * 1000;
}

}  // namespace

void readCoreTables(const ConfigDocument& doc, const LoadOptions& options, AppConfig& cfg) {
  Checker& c = doc.c;
  checkTopLevelNames(doc);

  const toml::table* provider_table = doc.single("provider");
  if (provider_table == nullptr && doc.root.get("provider") == nullptr) {
    c.error(doc.root.source(), "provider", "the [provider] table is missing");
  } else {
    ConfigValues pv = doc.values("provider");
    readProvider(pv, cfg.provider);
  }

  ConfigValues sv = doc.values("state");
  cfg.state_path = sv.string("path");
  cfg.state_url = sv.string("url");
  cfg.state_password = sv.string("password");
  if (const toml::table* st = doc.single("state"); st != nullptr) {
    checkStateLocation(*st, c);
  }
  ConfigValues lv = doc.values("log");
  cfg.log.level = lv.string("level");
  cfg.log.file = lv.string("file");
  cfg.log.format = lv.string("format");
  if (cfg.log.format != "text" && cfg.log.format != "json") {
    const toml::table* lt = doc.single("log");
    const toml::node* n = lt != nullptr ? lt->get("format") : nullptr;
    c.error(n != nullptr ? n->source() : doc.root.source(), "log.format",
            "unknown format \"" + text::excerpt(cfg.log.format) + "\"; expected text or json");
  }
  static const std::set<std::string> kLevels = {"fatal",       "critical", "error", "warning",
                                                "notice",      "information", "debug", "trace"};
  if (kLevels.count(cfg.log.level) == 0) {
    const toml::table* lt = doc.single("log");
    const toml::node* n = lt != nullptr ? lt->get("level") : nullptr;
    c.error(n != nullptr ? n->source() : doc.root.source(), "log.level",
            "unknown level \"" + text::excerpt(cfg.log.level) +
                "\"; expected error, warning, notice, information, debug or trace");
  }
  ConfigValues plv = doc.values("plugins");
  for (const auto& d : plv.list("dirs")) cfg.plugin_dirs.push_back(c.resolvePath(d));
  if (!options.plugin_dirs.empty()) cfg.plugin_dirs = options.plugin_dirs;
  readDaemonTables(cfg, doc.values("daemon"), doc.values("metrics"), doc.single("metrics"), c);
  readMessagingTable(doc, cfg);
}

}  // namespace mobisync::config
