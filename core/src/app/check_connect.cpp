// SPDX-License-Identifier: Apache-2.0
// `check --connect`: the plugin instances' probes, the order of the lines and the exit code.
#include "app/check_connect.hpp"

#include <exception>
#include <utility>

#include "plugin_host/plugin_instance.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using Verdict = EndpointCheck::Verdict;

namespace {

Verdict fromProbe(plugin::ProbeResult::Verdict v) {
  switch (v) {
    case plugin::ProbeResult::Verdict::Ok:
      return Verdict::Ok;
    case plugin::ProbeResult::Verdict::Refused:
      return Verdict::Refused;
    case plugin::ProbeResult::Verdict::Unreachable:
      break;
  }
  return Verdict::Unreachable;
}

/// Makes instance `name` of `plugin`, init()s it with `values` and asks its probe; the instance
/// is shut down before this returns. Never throws.
template <class T>
std::vector<EndpointCheck> probeInstance(plugin_host::PluginLoader& loader,
                                         const std::string& table, const std::string& plugin,
                                         const std::string& name,
                                         const plugin::ConfigValues& values) {
  EndpointCheck one;
  one.table = table + " " + name;
  one.endpoint = "plugin " + plugin;
  const auto start = std::chrono::steady_clock::now();
  try {
    plugin_host::Instance<T> instance(loader, plugin, name);
    if (Status s = instance.init(values); !s) {
      // init() reads the configuration and opens nothing: what it refuses is the config's.
      one.verdict = s.code() == Errc::InvalidConfig ? Verdict::ConfigError : Verdict::Unreachable;
      one.detail = "init: " + s.message();
      one.latency_ms = millisSince(start);
      return {one};
    }
    auto* probe = instance.template capability<plugin::Probe>();
    if (probe == nullptr) {
      one.verdict = Verdict::NotProbed;
      one.detail = "the plugin cannot probe its endpoints (it implements no plugin::Probe)";
      one.latency_ms = millisSince(start);
      return {one};
    }
    auto answered = instance.template call<Result<std::vector<plugin::ProbeResult>>>(
        [probe](T&) -> Result<std::vector<plugin::ProbeResult>> { return probe->probe(); });
    const std::int64_t whole = millisSince(start);
    instance.shutdown();
    if (!answered) {
      one.verdict = Verdict::Unreachable;
      one.detail = answered.error().message();
      one.latency_ms = whole;
      return {one};
    }
    std::vector<EndpointCheck> lines;
    for (auto& r : *answered) {
      lines.push_back(EndpointCheck{one.table, std::move(r.endpoint), fromProbe(r.verdict),
                                    std::move(r.detail), r.latency_ms >= 0 ? r.latency_ms : whole});
    }
    if (lines.empty()) {
      one.verdict = Verdict::NotProbed;
      one.detail = "the plugin's probe named no endpoint";
      one.latency_ms = whole;
      lines.push_back(one);
    }
    return lines;
  } catch (const std::exception& e) {
    // The loader refused the plugin; load() had already loaded it, so this is rare.
    one.verdict = Verdict::ConfigError;
    one.detail = e.what();
    one.latency_ms = millisSince(start);
    return {one};
  }
}

}  // namespace

const char* verdictName(Verdict v) {
  switch (v) {
    case Verdict::Ok:
      return "ok";
    case Verdict::Unreachable:
      return "unreachable";
    case Verdict::Refused:
      return "refused";
    case Verdict::ConfigError:
      return "config error";
    case Verdict::NotProbed:
      return "not probed";
  }
  return "unknown";
}

std::int64_t millisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

std::vector<EndpointCheck> checkPluginInstances(const config::AppConfig& cfg,
                                                plugin_host::PluginLoader& loader) {
  std::vector<EndpointCheck> all;
  for (const auto& s : cfg.sources) {
    for (auto& c : probeInstance<plugin::Source>(loader, "source", s.plugin, s.name, s.values)) {
      all.push_back(std::move(c));
    }
  }
  for (const auto& n : cfg.notifiers) {
    for (auto& c :
         probeInstance<plugin::Notifier>(loader, "notifier", n.plugin, n.name, n.values)) {
      all.push_back(std::move(c));
    }
  }
  return all;
}

std::vector<EndpointCheck> checkEndpoints(const config::AppConfig& cfg,
                                          plugin_host::PluginLoader& loader) {
  std::vector<EndpointCheck> all = checkProvider(cfg);
  all.push_back(checkState(cfg));
  for (auto& c : checkPluginInstances(cfg, loader)) all.push_back(std::move(c));
  return all;
}

int checkExitCode(const std::vector<EndpointCheck>& checks) {
  bool config = false;
  bool refused = false;
  bool unreachable = false;
  for (const auto& c : checks) {
    config = config || c.verdict == Verdict::ConfigError;
    refused = refused || c.verdict == Verdict::Refused;
    unreachable = unreachable || c.verdict == Verdict::Unreachable;
  }
  // A config to fix first, then credentials (no retry fixes them), then the network.
  if (config) return sync::kExitConfig;
  if (refused) return sync::kExitNoPerm;
  if (unreachable) return sync::kExitUnavailable;
  return sync::kExitOk;
}

}  // namespace mobisync::app
