// SPDX-License-Identifier: Apache-2.0
// The mobisync commands: check, plan, sync, state, plugins. Each returns the process exit code.
#pragma once

#include <ostream>

#include "app/cli_options.hpp"

namespace mobisync::app {

int runCheck(const CliOptions& o, std::ostream& out);
int runPlan(const CliOptions& o, std::ostream& out);
int runSync(const CliOptions& o, std::ostream& out);
int runState(const CliOptions& o, std::ostream& out);
int runPlugins(const CliOptions& o, std::ostream& out);
int runSend(const CliOptions& o, std::ostream& out);
int runHlr(const CliOptions& o, std::ostream& out);
/// `optouts list|import|export`: the suppression list (optout_commands.cpp).
int runOptouts(const CliOptions& o, std::ostream& out);
/// `webhooks register`: the provider learns the daemon's webhook URLs (webhook_commands.cpp).
int runWebhooks(const CliOptions& o, std::ostream& out);
/// `mobisync run`: the daemon; returns when stopped by SIGTERM or SIGINT.
int runDaemon(const CliOptions& o);

}  // namespace mobisync::app
