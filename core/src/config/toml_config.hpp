// SPDX-License-Identifier: Apache-2.0
// Loads and validates the TOML config in two phases, so loading plugins stays with the caller:
// readConfig() checks every core table and names the plugins the file needs; the caller loads
// them and hands their schemas to finishConfig(), which checks the plugins' tables.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "config/interpolation.hpp"
#include "mobisync/plugin/abi.hpp"
#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/result.hpp"

namespace mobisync::config {

/// Options the command line may set before the file is read.
struct LoadOptions {
  std::vector<std::string> plugin_dirs;  ///< --plugin-dir; overrides [plugins] dirs
  /// False for commands that use no secret (`check`, `plugins`, `state show`): a secret whose
  /// variable, file or credential is missing is then listed in AppConfig::unresolved_secrets
  /// instead of refusing the config, and left unset.
  bool resolve_secrets = true;
};

/// A [[source]] or [[notifier]] table as phase 1 leaves it: its plugin must be loaded for the
/// schema that checks the table's other keys.
struct PluginTable {
  plugin::Kind kind;
  std::string plugin;  ///< the `plugin` key's value
  std::string origin;  ///< "file:line:col" of the table
};

/// A plugin's schema, or why there is none (missing, refused, of the other kind): reported at
/// the `plugin` key of every table naming it.
using SchemaResult = Result<std::vector<plugin::ConfigKey>>;

/// Phase 2's input: the schema of each plugin the tables name, by kind and name.
struct PluginSchemas {
  std::map<std::string, SchemaResult> sources;
  std::map<std::string, SchemaResult> notifiers;

  std::map<std::string, SchemaResult>& of(plugin::Kind kind) {
    return kind == plugin::Kind::Source ? sources : notifiers;
  }
  const std::map<std::string, SchemaResult>& of(plugin::Kind kind) const {
    return kind == plugin::Kind::Source ? sources : notifiers;
  }
};

/// The file read and its core tables checked (phase 1); its problems wait for phase 2 so that
/// all are reported together. Move-only.
class ParsedConfig {
 public:
  ParsedConfig(ParsedConfig&&) noexcept;
  ParsedConfig& operator=(ParsedConfig&&) noexcept;
  ~ParsedConfig();

  /// The config so far: every core table read (plugin_dirs too), sources and notifiers without
  /// their plugin's keys.
  const AppConfig& config() const;
  /// The [[source]] and [[notifier]] tables that name a plugin, in file order.
  const std::vector<PluginTable>& pluginTables() const;

  struct State;

 private:
  explicit ParsedConfig(std::unique_ptr<State> state);
  friend Result<ParsedConfig> readConfig(const std::string&, const EnvLookup&,
                                         const LoadOptions&);
  friend Result<AppConfig> finishConfig(ParsedConfig, const PluginSchemas&);

  std::unique_ptr<State> state_;
};

/// Phase 1: reads `path` and validates every core table, resolving ${VAR} interpolation and
/// *_env / *_file secrets. Loads no plugin. Fails at once only when the file cannot be read or
/// is not TOML; other problems are kept for finishConfig().
Result<ParsedConfig> readConfig(const std::string& path,
                                const EnvLookup& env = processEnvironment(),
                                const LoadOptions& options = {});

/// Phase 2: validates each [[source]] and [[notifier]] table against its plugin's schema from
/// `schemas` (one for every plugin in pluginTables()). All problems of both phases are reported
/// together, one per line in file order, as "file:line:col: key: problem". Secret values never
/// appear in a message.
Result<AppConfig> finishConfig(ParsedConfig parsed, const PluginSchemas& schemas);

/// Gives a plugin's schema; it receives the config of phase 1 (plugin_dirs set).
using SchemaLookup =
    std::function<SchemaResult(const AppConfig& partial, const std::string& plugin_name)>;

/// Both phases at once, for callers that have schemas at hand (tests, the fuzzer): each plugin
/// named is looked up once, [[notifier]] plugins through `notifier_schemas` when it is set.
Result<AppConfig> loadConfig(const std::string& path, const SchemaLookup& schemas,
                             const EnvLookup& env = processEnvironment(),
                             const LoadOptions& options = {},
                             const SchemaLookup& notifier_schemas = {});

}  // namespace mobisync::config
