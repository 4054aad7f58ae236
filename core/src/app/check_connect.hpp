// SPDX-License-Identifier: Apache-2.0
// `check --connect`: every endpoint of the config reached once, nothing changed, one verdict
// each.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "plugin_host/plugin_loader.hpp"

namespace mobisync::app {

/// One endpoint's line of `check --connect`.
struct EndpointCheck {
  enum class Verdict { Ok, Unreachable, Refused, ConfigError, NotProbed };
  std::string table;     ///< what in the config uses it: "provider", "state", "source people"
  std::string endpoint;  ///< host, URL without query, file; never a secret
  Verdict verdict = Verdict::Ok;
  std::string detail;  ///< one line; never a secret
  std::int64_t latency_ms = 0;
};

/// "ok", "unreachable", "refused", "config error", "not probed".
const char* verdictName(EndpointCheck::Verdict v);

/// Milliseconds from `start` to now.
std::int64_t millisSince(std::chrono::steady_clock::time_point start);

/// The contacts proxy API asked to remove no number (refused by the provider as invalid after
/// it checked the credentials: nothing can be removed), when the config has jobs or a
/// [provider] username; nothing otherwise.
std::vector<EndpointCheck> checkProvider(const config::AppConfig& cfg);

/// The state: PostgreSQL connected to and one row read; an existing SQLite file opened and one
/// row read. Nothing is created or migrated: a missing SQLite file is "ok" when its directory
/// lets the first sync create it.
EndpointCheck checkState(const config::AppConfig& cfg);

/// Each [[source]] and [[notifier]] instance made, init()ed, asked through plugin::Probe and
/// shut down. An instance whose plugin has no probe is "not probed".
std::vector<EndpointCheck> checkPluginInstances(const config::AppConfig& cfg,
                                                plugin_host::PluginLoader& loader);

/// Everything above, in config order: provider, state, sources, notifiers.
std::vector<EndpointCheck> checkEndpoints(const config::AppConfig& cfg,
                                          plugin_host::PluginLoader& loader);

/// 78 when an instance's init() refused its configuration, else 77 (EX_NOPERM) when any
/// credentials were refused, else 69 (EX_UNAVAILABLE) when anything was unreachable, else 0
/// ("not probed" counts as passing: nothing was found wrong).
int checkExitCode(const std::vector<EndpointCheck>& checks);

/// One line per endpoint ("ok  provider  http://...  12 ms  detail"), or one JSON document
/// {"endpoints": [...], "exit_code": N} when `format` is "json".
void printChecks(std::ostream& out, const std::vector<EndpointCheck>& checks,
                 const std::string& format);

}  // namespace mobisync::app
