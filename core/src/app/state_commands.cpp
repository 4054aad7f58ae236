// SPDX-License-Identifier: Apache-2.0
// `state show`, `state reset` and `state messages`: what the state holds, and forgetting a job;
// `send` and `hlr`, which record what they do in the state.
#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/notify_commands.hpp"
#include "mobisync/text.hpp"
#include "state/cursor_store.hpp"
#include "state/lease_store.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using sync::kExitOk;
using sync::kExitUsage;

namespace {

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

}  // namespace

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
