// SPDX-License-Identifier: Apache-2.0
// What the commands share: loading the config with its plugins, opening the state, and turning
// a command's failure into its message and exit code.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/cli_options.hpp"
#include "config/app_config.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"

namespace mobisync::app {

/// Thrown inside a command to leave with a message and an exit code.
struct CommandError {
  int code;
  std::string message;
};

/// -c, else $MOBISYNC_CONFIG, else mobisync.toml.
std::string configPath(const CliOptions& o);

/// The loaded config, with the plugin loader it was validated against.
struct Loaded {
  config::AppConfig cfg;
  std::unique_ptr<plugin_host::PluginLoader> loader;
};

/// Reads the config (phase 1), loads the plugins its tables name from the configured
/// directories, checks their tables against their schemas (phase 2), then sets up logging from
/// [log]. Throws CommandError with every problem, one per line.
Loaded load(const CliOptions& o);

/// Opens the state; for a plan, a missing file is an empty state and nothing is created.
std::unique_ptr<state::StateStore> openState(const config::AppConfig& cfg, bool read_only);

/// Runs a command, printing why it failed ("mobisync: ...") and returning its exit code.
int guardedCommand(const std::function<int()>& command);

}  // namespace mobisync::app
