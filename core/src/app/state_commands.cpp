// SPDX-License-Identifier: Apache-2.0
// `state show`, `state reset` and `state messages`: what the state holds, and forgetting a job;
// `send` and `hlr`, which record what they do in the state.
#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/notify_commands.hpp"
#include "app/state_show.hpp"
#include "state/cursor_store.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using sync::kExitOk;
using sync::kExitUsage;

int runState(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    std::string sub = o.args.size() > 1 ? o.args[1] : "show";
    if (sub == "reset" && o.format != "table") {
      throw CommandError{kExitUsage, "state reset does not take --format: it prints one line"};
    }
    Loaded l = load(o);
    if (sub == "show") {
      auto store = openState(l.cfg, true);
      // The url names no password (that is kept beside it); a plan of a missing file reads an
      // empty in-memory state, so the file is named from the config.
      const std::string name = l.cfg.state_url.empty() ? l.cfg.state_path : store->path();
      const std::string job = o.args.size() > 2 ? o.args[2] : "";
      if (o.format == "json") {
        printStateJson(out, *store, name, job);
      } else {
        printStateTable(out, *store, name, job);
      }
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

}  // namespace mobisync::app
