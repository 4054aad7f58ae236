// SPDX-License-Identifier: Apache-2.0
// commandUsesSecrets() and requireSecret().
#include "app/secret_policy.hpp"

#include "app/command_support.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

bool commandUsesSecrets(const CliOptions& o) {
  const std::string command = o.args.empty() ? std::string() : o.args.front();
  if (command == "check") return o.connect;  // --connect signs in everywhere
  return command != "plugins" && command != "state";
}

void requireSecret(const config::AppConfig& cfg, const std::string& key) {
  // Each entry is "file:line:col: key: why" (Checker::secretMissing).
  for (const auto& problem : cfg.unresolved_secrets) {
    if (problem.find(": " + key + "_") != std::string::npos) {
      throw CommandError{sync::kExitConfig, problem};
    }
  }
}

}  // namespace mobisync::app
