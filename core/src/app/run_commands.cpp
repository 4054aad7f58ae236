// SPDX-License-Identifier: Apache-2.0
// `check`: the config validated and its plugins loaded, and with --connect every endpoint
// reached (check_connect.hpp); `plan` and `sync` are in sync_commands.cpp, `run` in
// daemon_command.cpp.
#include <iostream>

#include "app/check_connect.hpp"
#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using sync::kExitOk;

namespace {

void printStrings(std::ostream& out, const std::vector<std::string>& v) {
  out << "[";
  for (std::size_t i = 0; i < v.size(); ++i) out << (i == 0 ? "" : ", ") << jsonQuote(v[i]);
  out << "]";
}

/// check --format json: one object with the file, the counts, the warnings and the secrets
/// that could not be read.
void printCheckJson(std::ostream& out, const config::AppConfig& cfg) {
  out << "{\"file\": " << jsonQuote(cfg.file) << ", \"sources\": " << cfg.sources.size()
      << ", \"jobs\": " << cfg.jobs.size() << ", \"warnings\": ";
  printStrings(out, cfg.warnings);
  out << ", \"unresolved_secrets\": ";
  printStrings(out, cfg.unresolved_secrets);
  out << "}\n";
}

}  // namespace

int runCheck(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    Loaded l = load(o);
    for (const auto& s : l.cfg.sources) l.loader->load(s.plugin);
    if (o.connect) {
      const std::vector<EndpointCheck> checks = checkEndpoints(l.cfg, *l.loader);
      printChecks(out, checks, o.format);
      return checkExitCode(checks);
    }
    if (o.format == "json") {
      printCheckJson(out, l.cfg);
      return kExitOk;
    }
    out << l.cfg.file << ": OK: " << l.cfg.sources.size() << " source(s), " << l.cfg.jobs.size()
        << " job(s)";
    if (!l.cfg.warnings.empty()) out << ", " << l.cfg.warnings.size() << " warning(s)";
    out << "\n";
    for (const auto& w : l.cfg.warnings) out << "  warning: " << w << "\n";
    // Not read by check; sync, run, send and hlr refuse to start without them.
    for (const auto& s : l.cfg.unresolved_secrets) out << "  secret not readable here: " << s << "\n";
    return kExitOk;
  });
}

}  // namespace mobisync::app
