// SPDX-License-Identifier: Apache-2.0
// The readers of each table of the config file, internal to config/. Each reads its tables into
// AppConfig and reports problems through the Checker; none loads a plugin.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/app_config.hpp"
#include "config/toml_checker.hpp"
#include "config/toml_config.hpp"
#include "mobisync/plugin/abi.hpp"

namespace mobisync::config {

/// The parsed file and its checker, with the lookups every reader shares.
struct ConfigDocument {
  const toml::table& root;
  Checker& c;

  /// The table [name], or nullptr when absent or (reported) not a table.
  const toml::table* single(const char* name) const;
  /// [name] validated against the core's schema; an absent table gives its defaults.
  plugin::ConfigValues values(const char* name) const;
  /// The tables of [[name]], reporting a key that is not an array of tables.
  std::vector<const toml::table*> tables(const char* name) const;
};

/// Top-level names, [provider], [state], [log], [plugins], [daemon] and [metrics].
void readCoreTables(const ConfigDocument& doc, const LoadOptions& options, AppConfig& cfg);

/// A [[source]] or [[notifier]] table whose own keys wait for its plugin's schema (phase 2).
struct PendingTable {
  plugin::Kind kind;
  const toml::table* table;
  std::string label;   ///< "source.customers", or "source[0]" without a name
  std::string plugin;
  Checker::Slot slot;  ///< where its problems belong in the report
};

/// A reference to a [[notifier]] by name, checked once the notifiers whose plugin loads are known.
struct NotifierReference {
  std::string name;
  toml::source_region where;
  std::string key;
  Checker::Slot slot;
};

/// Phase 1 of [[source]] or [[notifier]]: name and plugin checked, every table with a plugin
/// added to cfg (values empty) and to `pending`. Returns the names given, used or not.
std::set<std::string> readPluginTableHeads(const ConfigDocument& doc, plugin::Kind kind,
                                           AppConfig& cfg, std::vector<PendingTable>& pending);

/// Phase 2: each pending table validated against its plugin's schema, into its slot; a table
/// whose plugin has no schema is reported at its `plugin` key and dropped from cfg.
void validatePluginTables(const std::vector<PendingTable>& pending, const PluginSchemas& schemas,
                          Checker& c, AppConfig& cfg);

/// Records that `name` must be a [[notifier]] whose plugin loads (checked by
/// checkNotifierReferences once it is known), reported at `where` under `key` if not.
void requireNotifier(Checker& c, const toml::source_region& where, const std::string& key,
                     const std::string& name, std::vector<NotifierReference>& refs);
void checkNotifierReferences(const std::vector<NotifierReference>& refs, Checker& c,
                             const AppConfig& cfg);

/// [[job]] tables; `source_names` are the [[source]] names a job may use.
void readJobs(const ConfigDocument& doc, const std::set<std::string>& source_names,
              AppConfig& cfg, std::vector<NotifierReference>& refs);

/// [[notify]] rules, after the jobs so `jobs` can be checked.
void readNotifyRules(const ConfigDocument& doc, AppConfig& cfg,
                     std::vector<NotifierReference>& refs);

/// [messaging.optouts] and its languages (optout_tables.cpp).
void readOptouts(const ConfigDocument& doc, AppConfig& cfg, std::vector<NotifierReference>& refs);

}  // namespace mobisync::config
