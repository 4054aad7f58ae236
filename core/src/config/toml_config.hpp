// SPDX-License-Identifier: Apache-2.0
// Loads and validates the TOML config: the only code that includes toml++.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "config/interpolation.hpp"
#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/result.hpp"

namespace mobisync::config {

/// Gives the schema of a source plugin. It receives the config read so far (plugin_dirs set), so
/// the caller can load plugins from the configured directories. A failed Result (plugin missing
/// or refused) is reported at the `plugin` key's position.
using SchemaLookup = std::function<Result<std::vector<plugin::ConfigKey>>(
    const AppConfig& partial, const std::string& plugin_name)>;

/// Options the command line may set before the file is read.
struct LoadOptions {
  std::vector<std::string> plugin_dirs;  ///< --plugin-dir; overrides [plugins] dirs
  /// Schemas of notifier plugins for [[notifier]]; when unset, `schemas` answers for them too.
  SchemaLookup notifier_schemas;
};

/// Reads `path`, validates every table against the core's schema and every [[source]] against its
/// plugin's schema, resolves ${VAR} interpolation and *_env / *_file secrets. All problems are
/// reported together, one per line, as "file:line:col: key: problem". Secret values never appear
/// in a message.
Result<AppConfig> loadConfig(const std::string& path, const SchemaLookup& schemas,
                             const EnvLookup& env = processEnvironment(),
                             const LoadOptions& options = {});

}  // namespace mobisync::config
