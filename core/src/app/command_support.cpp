// SPDX-License-Identifier: Apache-2.0
// Loading the config in its two phases with the plugins between them, opening the state, and
// the exit codes of a command's failures.
#include "app/command_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

#include <Poco/Logger.h>

#include "app/log_setup.hpp"
#include "app/notify_commands.hpp"
#include "app/secret_policy.hpp"
#include "config/toml_config.hpp"
#include "model/msisdn.hpp"
#include "state/sqlite_state_file.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace fs = std::filesystem;
using sync::kExitConfig;

namespace {

/// The schema of plugin `name` for a table of `kind`, loading the plugin; why not, if it cannot
/// be loaded or is of the other kind (reported at the table's `plugin` key).
config::SchemaResult schemaOf(plugin_host::PluginLoader& loader, plugin::Kind kind,
                              const std::string& name) {
  try {
    const auto& p = loader.load(name);
    if (p.descriptor->kind != kind) {
      const std::string wanted = plugin::kindName(kind);
      return Status::invalidConfig("plugin \"" + name + "\" is a " +
                                   plugin::kindName(p.descriptor->kind) + " plugin; [[" + wanted +
                                   "]] needs a " + wanted + " plugin");
    }
    const plugin::ConfigKey* keys = p.descriptor->config_schema;
    return std::vector<plugin::ConfigKey>(keys, keys + p.descriptor->config_schema_size);
  } catch (const plugin_host::PluginError& e) {
    return Status::invalidConfig(e.what());
  }
}

/// The level to log at: -q/-v/--log-level, else [log] level when it is one (phase 2 reports it
/// when not), else information.
std::string logLevel(const CliOptions& o, const std::string& configured) {
  if (!o.log_level.empty()) return o.log_level;
  static const std::set<std::string> kKnown = {"fatal",       "critical", "error", "warning",
                                               "notice",      "information", "debug", "trace"};
  return kKnown.count(configured) != 0 ? configured : "information";
}

}  // namespace

std::string configPath(const CliOptions& o) {
  if (!o.config_path.empty()) return o.config_path;
  if (const char* env = std::getenv("MOBISYNC_CONFIG"); env != nullptr && *env != '\0') return env;
  return "mobisync.toml";
}

Loaded load(const CliOptions& o) {
  // The house pattern from the start; the command line's level wins over [log] level.
  setupLogging(o.log_level.empty() ? "information" : o.log_level, "");
  config::LoadOptions lo;
  lo.plugin_dirs = o.plugin_dirs;
  // A command that uses no secret runs without them (secret_policy.hpp).
  lo.resolve_secrets = commandUsesSecrets(o);
  auto parsed = config::readConfig(configPath(o), config::processEnvironment(), lo);
  if (!parsed) throw CommandError{kExitConfig, parsed.error().message()};
  // [log] as read in phase 1, so plugin loading already logs where and as it says (an
  // unknown format or level is reported by phase 2; text and information until then).
  setupLogging(logLevel(o, parsed->config().log.level), parsed->config().log.file,
               parsed->config().log.format);
  Loaded l;
  const auto& dirs = parsed->config().plugin_dirs;
  l.loader = std::make_unique<plugin_host::PluginLoader>(
      dirs.empty() ? plugin_host::defaultPluginDirs() : dirs);
  // [[source]] and [[notifier]] tables each need their kind of plugin; one loader answers both.
  config::PluginSchemas schemas;
  for (const auto& t : parsed->pluginTables()) {
    auto& known = schemas.of(t.kind);
    if (known.count(t.plugin) == 0) known.emplace(t.plugin, schemaOf(*l.loader, t.kind, t.plugin));
  }
  auto cfg = config::finishConfig(std::move(parsed).value(), schemas);
  if (!cfg) throw CommandError{kExitConfig, cfg.error().message()};
  l.cfg = std::move(cfg).value();
  setupLogging(logLevel(o, l.cfg.log.level), l.cfg.log.file, l.cfg.log.format);
  auto& log = Poco::Logger::get("mobisync.config");
  for (const auto& w : l.cfg.warnings) log.warning(w);
  // Regions are checked here so a typo fails before any source is read.
  for (const auto& j : l.cfg.jobs) {
    try {
      model::MsisdnNormalizer check(j.default_region);
    } catch (const std::exception& e) {
      throw CommandError{kExitConfig, l.cfg.file + ": job." + j.name + ".default_region: " + e.what()};
    }
  }
  return l;
}

std::unique_ptr<state::StateStore> openState(const config::AppConfig& cfg, bool read_only) {
  if (!cfg.state_url.empty()) {
    // `state` loads the config without secrets; the PostgreSQL password is needed here.
    requireSecret(cfg, "state.password");
    return std::make_unique<state::StateStore>(
        state::StateLocation{cfg.state_path, cfg.state_url, cfg.state_password});
  }
  std::error_code ec;
  if (read_only && !fs::exists(cfg.state_path, ec)) {
    return std::make_unique<state::StateStore>(":memory:");
  }
  if (auto dir = fs::path(cfg.state_path).parent_path(); !dir.empty()) {
    fs::create_directories(dir, ec);
  }
  return std::make_unique<state::StateStore>(cfg.state_path);
}

int guardedCommand(const std::function<int()>& command) {
  try {
    return command();
  } catch (const CommandError& e) {
    std::cerr << "mobisync: " << e.message << "\n";
    return e.code;
  } catch (const plugin_host::PluginError& e) {
    std::cerr << "mobisync: " << e.what() << "\n";
    return kExitConfig;
  } catch (const NotifyCommandError& e) {
    std::cerr << "mobisync: " << e.what() << "\n";
    return e.code();
  } catch (const state::StateFileRefused& e) {
    // [state] path names a file that is not a state: the config's to fix, not a bug.
    std::cerr << "mobisync: " << e.what() << "\n";
    return kExitConfig;
  } catch (const std::exception& e) {
    std::cerr << "mobisync: " << e.what() << "\n";
    return sync::kExitSoftware;
  }
}

}  // namespace mobisync::app
