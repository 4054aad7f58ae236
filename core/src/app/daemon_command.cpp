// SPDX-License-Identifier: Apache-2.0
// `run`: the daemon command; loads the config the way `check` does and hands it to daemon::Daemon.
#include <memory>
#include <utility>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "daemon/daemon.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using sync::kExitUsage;

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

}  // namespace mobisync::app
