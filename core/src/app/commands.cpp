// SPDX-License-Identifier: Apache-2.0
// The mobisync commands on top of config, plugin host, state and the job runner.
#include "app/commands.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include <Poco/Logger.h>

#include "app/log_setup.hpp"
#include "app/notify_commands.hpp"
#include "app/progress_line.hpp"
#include "app/reference_writer.hpp"
#include "app/report_printer.hpp"
#include "config/toml_config.hpp"
#include "daemon/daemon.hpp"
#include "mobisync/text.hpp"
#include "model/msisdn.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/cursor_store.hpp"
#include "state/lease_store.hpp"
#include "state/sqlite_state_file.hpp"
#include "state/state_store.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_runner.hpp"

namespace mobisync::app {

namespace fs = std::filesystem;
using sync::kExitConfig;
using sync::kExitOk;
using sync::kExitUsage;

namespace {

/// Thrown inside a command to leave with a message and an exit code.
struct CommandError {
  int code;
  std::string message;
};

std::string configPath(const CliOptions& o) {
  if (!o.config_path.empty()) return o.config_path;
  if (const char* env = std::getenv("MOBISYNC_CONFIG"); env != nullptr && *env != '\0') return env;
  return "mobisync.toml";
}

/// The loaded config, with the plugin loader it was validated against.
struct Loaded {
  config::AppConfig cfg;
  std::unique_ptr<plugin_host::PluginLoader> loader;
};

Loaded load(const CliOptions& o) {
  // Log plugin loading with the house pattern already; [log] takes over once it is read.
  setupLogging(o.log_level.empty() ? "information" : o.log_level, "");
  Loaded l;
  config::LoadOptions lo;
  lo.plugin_dirs = o.plugin_dirs;
  // [[source]] and [[notifier]] tables each need their kind of plugin; one loader answers both.
  auto schemasOf = [&l](plugin::Kind kind) {
    return [&l, kind](const config::AppConfig& partial,
                      const std::string& name) -> Result<std::vector<plugin::ConfigKey>> {
      if (!l.loader) {
        l.loader = std::make_unique<plugin_host::PluginLoader>(
            partial.plugin_dirs.empty() ? plugin_host::defaultPluginDirs() : partial.plugin_dirs);
      }
      try {
        const auto& p = l.loader->load(name);
        if (p.descriptor->kind != kind) {
          const std::string wanted = plugin::kindName(kind);
          return Status::invalidConfig("plugin \"" + name + "\" is a " +
                                       plugin::kindName(p.descriptor->kind) + " plugin; [[" +
                                       wanted + "]] needs a " + wanted + " plugin");
        }
        return std::vector<plugin::ConfigKey>(
            p.descriptor->config_schema,
            p.descriptor->config_schema + p.descriptor->config_schema_size);
      } catch (const plugin_host::PluginError& e) {
        return Status::invalidConfig(e.what());
      }
    };
  };
  auto schemas = schemasOf(plugin::Kind::Source);
  lo.notifier_schemas = schemasOf(plugin::Kind::Notifier);
  auto cfg = config::loadConfig(configPath(o), schemas, config::processEnvironment(), lo);
  if (!cfg) throw CommandError{kExitConfig, cfg.error().message()};
  l.cfg = std::move(cfg).value();
  if (!l.loader) {
    l.loader = std::make_unique<plugin_host::PluginLoader>(
        l.cfg.plugin_dirs.empty() ? plugin_host::defaultPluginDirs() : l.cfg.plugin_dirs);
  }
  setupLogging(o.log_level.empty() ? l.cfg.log.level : o.log_level, l.cfg.log.file);
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

/// The jobs named on the command line (after the command word), or every enabled job.
std::vector<const config::JobConfig*> selectJobs(const config::AppConfig& cfg,
                                                 const std::vector<std::string>& args) {
  std::vector<const config::JobConfig*> jobs;
  if (args.size() > 1) {
    for (std::size_t i = 1; i < args.size(); ++i) {
      const auto* j = cfg.findJob(args[i]);
      if (j == nullptr) {
        std::string names;
        for (const auto& x : cfg.jobs) names += (names.empty() ? "" : ", ") + x.name;
        throw CommandError{kExitUsage, "no job named \"" + args[i] + "\" in " + cfg.file +
                                           " (jobs: " + names + ")"};
      }
      jobs.push_back(j);
    }
  } else {
    for (const auto& j : cfg.jobs) {
      if (j.enabled) jobs.push_back(&j);
    }
  }
  if (jobs.empty()) throw CommandError{kExitConfig, cfg.file + ": no enabled [[job]] to run"};
  return jobs;
}

/// Opens the state; for a plan, a missing file is an empty state and nothing is created.
std::unique_ptr<state::StateStore> openState(const config::AppConfig& cfg, bool read_only) {
  if (!cfg.state_url.empty()) {
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

/// Which process applies each job now (or last did), for operators of several hosts.
void printLeases(std::ostream& out, state::StateStore& store) {
  auto leases = state::LeaseStore(store).all();
  if (leases.empty()) return;
  out << "Leases:\n";
  const std::int64_t now_ms = sync::wallClockMs();
  for (const auto& l : leases) {
    out << "  job " << l.job << ": ";
    if (l.expires_at_ms > now_ms) {
      out << "held by " << l.holder << " (token " << l.token << ") until "
          << sync::leaseTimeText(l.expires_at_ms) << "\n";
    } else {
      out << "free; last taken by " << l.holder << " (token " << l.token << ") at "
          << sync::leaseTimeText(l.acquired_at_ms) << "\n";
    }
  }
}

template <class F>
int guardedCommand(F&& f) {
  try {
    return f();
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

/// Shows each job's plan before its calls go out, then the progress line.
class ConsoleProgress : public ProgressLine {
 public:
  ConsoleProgress(const std::string& mode, std::ostream& out, const CliOptions& o)
      : ProgressLine(mode), out_(out), o_(o) {}
  void onPlanned(const sync::JobReport& r) override {
    if (o_.format == "json") return;
    printPlanTable(out_, r, o_.limit);
    out_.flush();
    planned_ = true;
  }
  bool takePlanned() { return std::exchange(planned_, false); }

 private:
  std::ostream& out_;
  const CliOptions& o_;
  bool planned_ = false;
};

int runJobs(const CliOptions& o, std::ostream& out, bool apply) {
  Loaded l = load(o);
  auto jobs = selectJobs(l.cfg, o.args);
  // A dry run records its run and the number memo, so it opens (and creates) the state.
  auto store = openState(l.cfg, !apply);
  ConsoleProgress progress(apply ? o.progress : "never", out, o);
  std::vector<sync::JobReport> reports;
  int code = kExitOk;
  for (const auto* job : jobs) {
    sync::JobOptions jo;
    jo.apply = apply;
    jo.dry_run = o.dry_run;
    jo.force = o.force;
    jo.allow_empty_source = o.allow_empty_source;
    jo.full_refresh = o.full_refresh;
    sync::JobReport r = sync::runJob(l.cfg, *job, *l.loader, *store, jo, &progress);
    // Not an error of this run but a reason to try later: said where scripts look, whatever
    // the output format.
    if (r.outcome == sync::JobOutcome::Skipped) {
      std::cerr << "mobisync: " << r.status.message() << "\n";
    }
    bool shown = progress.takePlanned();
    if (o.format != "json") {
      if (!apply) printPlanTable(out, r, o.limit);
      if (apply) {
        if (!shown) out << "Job \"" << r.job << "\": no plan was made.\n";
        printResult(out, r);
      }
      if (!apply && !r.status) out << "Error: " << r.status.message() << "\n";
      out.flush();
    }
    int c = sync::exitCodeFor(r);
    // A plan that would be blocked is still a successful plan.
    if (!apply && r.outcome == sync::JobOutcome::Blocked) c = kExitOk;
    code = sync::worseExit(code, c);
    reports.push_back(std::move(r));
  }
  if (o.format == "json") printJson(out, reports, !apply);
  return code;
}

}  // namespace

int runCheck(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    Loaded l = load(o);
    for (const auto& s : l.cfg.sources) l.loader->load(s.plugin);
    out << l.cfg.file << ": OK: " << l.cfg.sources.size() << " source(s), " << l.cfg.jobs.size()
        << " job(s)";
    if (!l.cfg.warnings.empty()) out << ", " << l.cfg.warnings.size() << " warning(s)";
    out << "\n";
    for (const auto& w : l.cfg.warnings) out << "  warning: " << w << "\n";
    return kExitOk;
  });
}

int runPlan(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] { return runJobs(o, out, false); });
}

int runSync(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] { return runJobs(o, out, true); });
}

int runState(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    std::string sub = o.args.size() > 1 ? o.args[1] : "show";
    Loaded l = load(o);
    if (sub == "show") {
      auto store = openState(l.cfg, true);
      // The url names no password (that is kept beside it); a plan of a missing file reads an
      // empty in-memory state, so the file is named from the config.
      out << "State " << (l.cfg.state_url.empty() ? l.cfg.state_path : store->path())
          << " (schema version " << store->schemaVersion()
          << ")\n";
      for (const auto& job : store->jobs()) {
        out << "  job " << job << ": " << store->countPairs(job) << " subscriptions\n";
      }
      out << "Recent runs:\n";
      for (const auto& r : store->runs(o.args.size() > 2 ? o.args[2] : "", 10)) {
        out << "  #" << r.id << " " << r.job << " " << r.mode << " " << r.outcome
            << ": fetched " << r.fetched << ", rejected " << r.rejected << ", added " << r.added
            << ", removed " << r.removed << ", updated " << r.updated << ", failed " << r.failed
            << ", held " << r.held << "\n";
        // Why a run did not succeed, where an operator looks first.
        if (r.outcome != "succeeded" && !r.message.empty()) {
          out << "      " << text::excerpt(r.message, 300) << "\n";
        }
      }
      printLeases(out, *store);
      return kExitOk;
    }
    if (sub == "reset") {
      if (o.args.size() < 3) {
        throw CommandError{kExitUsage, "state reset needs a job name: mobisync state reset JOB"};
      }
      auto store = openState(l.cfg, false);
      auto n = store->resetJob(o.args[2]);
      // Without its subscriptions the job must read its source whole again, not from a cursor.
      state::CursorStore(*store).clear(o.args[2]);
      out << "Forgot " << n << " subscriptions of job " << o.args[2]
          << " (the provider was not changed; the next sync re-creates what the source holds)\n";
      return kExitOk;
    }
    if (sub == "messages") {
      auto store = openState(l.cfg, true);
      return listMessages(o, *store, out);
    }
    throw CommandError{kExitUsage,
                       "unknown state command \"" + sub + "\": use show, reset or messages"};
  });
}

int runDaemon(const CliOptions& o) {
  return guardedCommand([&] {
    if (o.args.size() > 1) {
      throw CommandError{kExitUsage, "run takes no job names: it runs every enabled job that "
                                     "has a schedule (mobisync help run)"};
    }
    // The same loading and checks as `check`, so a SIGHUP applies only what `check` accepts.
    daemon::Daemon d([&o]() -> Result<std::shared_ptr<const daemon::LoadedConfig>> {
      try {
        Loaded l = load(o);
        for (const auto& s : l.cfg.sources) l.loader->load(s.plugin);
        auto loaded = std::make_shared<daemon::LoadedConfig>();
        loaded->cfg = std::move(l.cfg);
        loaded->loader = std::move(l.loader);
        return std::shared_ptr<const daemon::LoadedConfig>(std::move(loaded));
      } catch (const CommandError& e) {
        return Status::invalidConfig(e.message);
      } catch (const std::exception& e) {
        return Status::invalidConfig(e.what());
      }
    });
    return d.run();
  });
}

int runSend(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    Loaded l = load(o);
    auto store = openState(l.cfg, false);
    return sendMessages(o, l.cfg, *l.loader, *store, out);
  });
}

int runHlr(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    Loaded l = load(o);
    auto store = openState(l.cfg, false);
    return lookupNumbers(o, l.cfg, *l.loader, *store, out);
  });
}

int runPlugins(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    std::string sub = o.args.size() > 1 ? o.args[1] : "list";
    setupLogging(o.log_level.empty() ? "warning" : o.log_level, "");
    std::vector<std::string> dirs = o.plugin_dirs;
    if (dirs.empty()) {
      std::error_code ec;
      if (!o.config_path.empty() || fs::exists(configPath(o), ec)) {
        dirs = load(o).cfg.plugin_dirs;
      }
    }
    if (dirs.empty()) dirs = plugin_host::defaultPluginDirs();
    plugin_host::PluginLoader loader(dirs);
    if (sub == "list") {
      auto listing = loader.list();
      out << std::left << std::setw(12) << "NAME" << std::setw(10) << "KIND" << std::setw(10)
          << "VERSION" << std::setw(8) << "SDK" << "FILE\n";
      for (const auto& p : listing) {
        if (p.descriptor == nullptr) {
          out << std::setw(12) << p.name << "refused: " << p.error << "\n";
          continue;
        }
        out << std::setw(12) << p.descriptor->name << std::setw(10)
            << plugin::kindName(p.descriptor->kind) << std::setw(10) << p.descriptor->version
            << std::setw(8) << p.descriptor->sdk_version << p.path << "\n";
      }
      if (listing.empty()) {
        out << "(no plugins in";
        for (const auto& d : dirs) out << " " << d;
        out << ")\n";
      }
      return kExitOk;
    }
    if (sub == "describe") {
      if (o.args.size() < 3) throw CommandError{kExitUsage, "usage: mobisync plugins describe NAME"};
      const auto& p = loader.load(o.args[2]);
      const auto* d = p.descriptor;
      out << d->name << " " << d->version << " (" << plugin::kindName(d->kind) << " plugin, SDK "
          << d->sdk_version << ")\n  " << (d->summary != nullptr ? d->summary : "") << "\n  "
          << p.path << "\n\nKeys:\n";
      // Columns as wide as this schema's longest key and the longest type name, plus a space.
      std::size_t key_width = 0;
      for (std::size_t i = 0; i < d->config_schema_size; ++i) {
        key_width = std::max(key_width, std::string(d->config_schema[i].name).size() + 1);
      }
      for (std::size_t i = 0; i < d->config_schema_size; ++i) {
        const auto& k = d->config_schema[i];
        out << "  " << std::left << std::setw(static_cast<int>(key_width)) << k.name
            << std::setw(20) << plugin::keyTypeName(k.type);
        if (k.required) {
          out << "required";
        } else if (k.default_value != nullptr) {
          out << "default \"" << k.default_value << '"';
        } else {
          out << "no default";
        }
        out << "\n      " << k.help << "\n";
      }
      return kExitOk;
    }
    if (sub == "reference") {
      std::vector<const plugin::Descriptor*> descriptors;
      for (const auto& p : loader.list()) {
        if (p.descriptor == nullptr) throw CommandError{kExitConfig, p.error};
        descriptors.push_back(p.descriptor);
      }
      writeReference(out, descriptors);
      return kExitOk;
    }
    throw CommandError{kExitUsage,
                       "unknown plugins command \"" + sub + "\": use list, describe or reference"};
  });
}

}  // namespace mobisync::app
