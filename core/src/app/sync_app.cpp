// SPDX-License-Identifier: Apache-2.0
// SyncApp: the command line parsed and dispatched.
#include "app/sync_app.hpp"

#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/help_writer.hpp"
#include "mobisync/build_info.hpp"
#include "sync/job_report.hpp"

namespace mobisync {

int SyncApp::run(const std::vector<std::string>& arguments) {
  app::CommandLine line;
  try {
    line = app::parseCommandLine(arguments);
  } catch (const app::UsageError& e) {
    std::cerr << "mobisync: " << e.message << "\n";
    return sync::kExitUsage;
  }
  const app::CliOptions& o = line.options;
  if (line.version) {
    std::cout << "mobisync " << kSdkVersion << " (plugin SDK " << kSdkVersion << ", ABI 1)\n";
    return sync::kExitOk;
  }
  if (line.help || line.command.empty()) {
    const std::string name = line.command == "help" ? (o.args.size() > 1 ? o.args[1] : "")
                                                    : line.command;
    const app::CommandSpec* command = app::findCommand(name);
    if (!name.empty() && command == nullptr) {
      std::cerr << "mobisync: no command \"" << name.substr(0, 40) << "\" (mobisync --help)\n";
      return sync::kExitUsage;
    }
    app::printHelp(std::cout, command);
    // `mobisync` alone is a usage error that shows the help.
    return line.command.empty() && !line.help ? sync::kExitUsage : sync::kExitOk;
  }
  const std::string& c = line.command;
  if (c == "check") return app::runCheck(o, std::cout);
  if (c == "plan") return app::runPlan(o, std::cout);
  if (c == "sync") return app::runSync(o, std::cout);
  if (c == "run") return app::runDaemon(o);
  if (c == "state") return app::runState(o, std::cout);
  if (c == "plugins") return app::runPlugins(o, std::cout);
  if (c == "send") return app::runSend(o, std::cout);
  if (c == "hlr") return app::runHlr(o, std::cout);
  if (c == "optouts") return app::runOptouts(o, std::cout);
  if (c == "webhooks") return app::runWebhooks(o, std::cout);
  // The parser refuses names that are not in the command table; this one has no handler.
  std::cerr << "mobisync: command \"" << c << "\" is declared but has no handler\n";
  return sync::kExitSoftware;
}

}  // namespace mobisync
