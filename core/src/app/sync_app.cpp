// SPDX-License-Identifier: Apache-2.0
// SyncApp: options, help texts and command dispatch.
#include "app/sync_app.hpp"

#include <iostream>

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/wait_duration.hpp"
#include "mobisync/build_info.hpp"
#include "sync/job_report.hpp"

namespace mobisync {

using Poco::Util::Option;

namespace {

struct CommandHelp {
  const char* name;
  const char* usage;
  const char* text;
};

constexpr CommandHelp kCommands[] = {
    {"check", "check [-c FILE]",
     "Validates the config against the core's and every plugin's schema and loads the plugins "
     "it names. Changes nothing."},
    {"plan", "plan [JOB...] [--format table|json] [--limit N] [--full-refresh]",
     "Reads each job's source and prints what a sync would add, remove and update. Changes "
     "nothing: no provider call, no state, no reject file."},
    {"sync", "sync [JOB...] [--force] [--dry-run] [--allow-empty-source] [--full-refresh]",
     "Reads each enabled job's source (or the jobs named), plans, checks the safety gates and "
     "applies the plan to the provider, recording each confirmed call at once. --force applies "
     "removals over max_delete; --dry-run stops before any provider call; --full-refresh makes "
     "incremental sources read everything once, so rows deleted without a tombstone go too."},
    {"run", "run [-c FILE]",
     "The daemon: runs every enabled job that has a `schedule` on it (cron expression in the "
     "job's `timezone`), never one job twice at once, serves Prometheus metrics on [metrics] "
     "listen (/metrics, /healthz). SIGHUP re-reads the config and applies it only if it is "
     "valid; SIGTERM or SIGINT finish the batches in flight, record them and exit within "
     "[daemon] stop_timeout."},
    {"state",
     "state show [JOB] | state reset JOB | state messages [--job J] [--limit N] "
     "[--format json]",
     "Shows the confirmed state and recent runs, forgets a job's subscriptions (the provider "
     "is not changed), or lists the messages (notifications and `send`), newest first, with "
     "status (queued, sending, submitted, delivered, failed, expired, unknown, suppressed), "
     "parts and the provider's message id, each followed by its history: every status change "
     "with its time (UTC) and origin (outbox, smpp, webhook, expiry, optout)."},
    {"send",
     "send --via NAME --to N[,N...] (--text T | --text-file F) [--originator O] "
     "[--wait-receipts DURATION]",
     "Sends one SMS to each number (international form, e.g. +447930000001) through the "
     "[[notifier]] NAME and prints, per recipient, the parts, the encoding (GSM-7 or UCS-2), the "
     "status and the provider's message id or the error. Each message is written to the state's "
     "outbox first (see `state messages`) and the command returns once all are submitted. "
     "--wait-receipts DURATION (30s, 2m, 1h) keeps the notifier open and records delivery "
     "receipts until every message is delivered, failed or expired, or DURATION ends. Exits 0 "
     "when every message was submitted (with --wait-receipts: delivered); 76 when the provider "
     "refused one for good (or its receipt says failed/expired, or the recipient opted out); 69 "
     "when one is still pending "
     "(temporary failures, no final receipt in time); 78 on a configuration error."},
    {"hlr", "hlr [--via NAME] [--json] NUMBER...",
     "Looks numbers up in the home location register through a notifier that can (default: the "
     "first configured one) and prints status (active, inactive, unknown), network, country and "
     "whether the number was ported, as a table or JSON. Answers are remembered for jobs with "
     "hlr = true."},
    {"webhooks", "webhooks register [--via NAME]",
     "Registers the daemon's webhooks with the provider: POST /webhooks/receipt and "
     "/webhooks/incoming with [messaging.webhooks] public_url + /webhooks/TOKEN/receipt (and "
     "/incoming), using the JSON API key of the http [[notifier]] NAME (default: the first "
     "with an api_key). Prints the URLs with the token masked."},
    {"optouts", "optouts list [--format json] | optouts import | optouts export [FILE]",
     "Lists the suppressed numbers (opted out by a reply, imported from the provider, with the "
     "time and whether the provider was told), imports the provider's opt-out list (GET "
     "/addressbook/optout from the last day imported, through the JSON API of [messaging.optouts] "
     "import_via), or writes the list as CSV to FILE (default stdout). Notifications are never "
     "sent to a suppressed number."},
    {"plugins", "plugins list | plugins describe NAME | plugins reference",
     "Lists installed plugins with kind, version, SDK and file, prints a plugin's config keys, or "
     "prints the whole config reference (config/reference.toml) from the schemas."},
};

}  // namespace

void SyncApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Option("help", "h", "show help (after a command: that command's help)"));
  options.addOption(Option("version", "", "print the version"));
  options.addOption(Option("config", "c", "config file (default $MOBISYNC_CONFIG, ./mobisync.toml)")
                        .argument("FILE"));
  options.addOption(Option("plugin-dir", "", "plugin directory (repeatable); overrides [plugins]")
                        .argument("DIR")
                        .repeatable(true));
  options.addOption(Option("format", "", "output: table (default) or json").argument("FORMAT"));
  options.addOption(Option("limit", "", "plan lines shown in a table (default 50)").argument("N"));
  options.addOption(Option("log-level", "", "error, warning, information, debug, trace")
                        .argument("LEVEL"));
  options.addOption(Option("progress", "", "auto (on a terminal), always or never").argument("WHEN"));
  options.addOption(Option("force", "", "apply removals over max_delete"));
  options.addOption(Option("dry-run", "", "plan and check gates, but make no provider call"));
  options.addOption(Option("allow-empty-source", "",
                           "let a source with no contacts remove the job's subscriptions"));
  options.addOption(Option("full-refresh", "",
                           "incremental sources ignore their cursor and read everything once"));
  options.addOption(Option("via", "", "send, hlr: the [[notifier]] to use").argument("NAME"));
  options.addOption(Option("to", "", "send: recipients, comma-separated (repeatable)")
                        .argument("N[,N...]")
                        .repeatable(true));
  options.addOption(Option("text", "", "send: the message text").argument("T"));
  options.addOption(Option("text-file", "", "send: read the message text from a file")
                        .argument("F"));
  options.addOption(Option("originator", "", "send: sender shown on the phone").argument("O"));
  options.addOption(Option("wait-receipts", "",
                           "send: also wait up to DURATION (e.g. 30s, 2m) for delivery receipts")
                        .argument("DURATION"));
  options.addOption(Option("json", "", "hlr: print JSON"));
  options.addOption(Option("job", "", "state messages: only this job's").argument("J"));
  options.addOption(Option("connect", "", "check: reach every endpoint, changing nothing"));
}

void SyncApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "help") {
    help_ = true;
  } else if (name == "version") {
    version_ = true;
  } else if (name == "config") {
    options_.config_path = value;
  } else if (name == "plugin-dir") {
    options_.plugin_dirs.push_back(value);
  } else if (name == "format") {
    if (value != "table" && value != "json" && value != "json-schema") {
      throw Poco::Util::InvalidArgumentException(
          "--format must be table, json (or json-schema for `plugins schema`), not " + value);
    }
    options_.format = value;
  } else if (name == "limit") {
    try {
      options_.limit = std::stoi(value);
    } catch (...) {
      throw Poco::Util::InvalidArgumentException("--limit needs a number, not " + value);
    }
  } else if (name == "log-level") {
    options_.log_level = value;
  } else if (name == "progress") {
    if (value != "auto" && value != "always" && value != "never") {
      throw Poco::Util::InvalidArgumentException("--progress must be auto, always or never");
    }
    options_.progress = value;
  } else if (name == "force") {
    options_.force = true;
  } else if (name == "dry-run") {
    options_.dry_run = true;
  } else if (name == "allow-empty-source") {
    options_.allow_empty_source = true;
  } else if (name == "full-refresh") {
    options_.full_refresh = true;
  } else if (name == "via") {
    options_.via = value;
  } else if (name == "to") {
    options_.to += (options_.to.empty() ? "" : ",") + value;
  } else if (name == "text") {
    options_.text = value;
    options_.has_text = true;
  } else if (name == "text-file") {
    options_.text_file = value;
  } else if (name == "originator") {
    options_.originator = value;
  } else if (name == "wait-receipts") {
    options_.wait_receipts_ms = app::parseWaitDuration(value);
  } else if (name == "json") {
    options_.json = true;
  } else if (name == "job") {
    options_.job = value;
  } else if (name == "connect") {
    options_.connect = true;
  }
}

void SyncApp::printHelp(const std::string& command) {
  for (const auto& c : kCommands) {
    if (command == c.name) {
      std::cout << "usage: mobisync " << c.usage << "\n\n" << c.text << "\n\n";
    }
  }
  if (command.empty()) {
    std::cout << "mobisync " << kSdkVersion
              << ": keeps Mobivate contact subscriptions in step with your sources.\n\n"
                 "usage: mobisync COMMAND [OPTIONS]\n\ncommands:\n";
    for (const auto& c : kCommands) std::cout << "  " << c.usage << "\n";
    std::cout << "\n";
  }
  Poco::Util::HelpFormatter help(options());
  help.setUnixStyle(true);
  help.setWidth(100);
  help.setHeader("options:");
  help.format(std::cout);
  std::cout << "\n" << app::exitCodeHelp();
}

int SyncApp::main(const std::vector<std::string>& args) {
  options_.args = args;
  const std::string command = args.empty() ? "" : args[0];
  if (version_) {
    std::cout << "mobisync " << kSdkVersion << " (plugin SDK " << kSdkVersion << ", ABI 1)\n";
    return sync::kExitOk;
  }
  if (help_ || command.empty() || command == "help") {
    printHelp(command == "help" && args.size() > 1 ? args[1] : (command == "help" ? "" : command));
    return command.empty() && !help_ ? sync::kExitUsage : sync::kExitOk;
  }
  if (command == "check") return app::runCheck(options_, std::cout);
  if (command == "plan") return app::runPlan(options_, std::cout);
  if (command == "sync") return app::runSync(options_, std::cout);
  if (command == "run") return app::runDaemon(options_);
  if (command == "state") return app::runState(options_, std::cout);
  if (command == "plugins") return app::runPlugins(options_, std::cout);
  if (command == "send") return app::runSend(options_, std::cout);
  if (command == "hlr") return app::runHlr(options_, std::cout);
  if (command == "optouts") return app::runOptouts(options_, std::cout);
  if (command == "webhooks") return app::runWebhooks(options_, std::cout);
  std::cerr << "mobisync: unknown command \"" << command
            << "\"; commands: check, plan, sync, run, send, hlr, state, optouts, plugins "
               "(mobisync --help)\n";
  return sync::kExitUsage;
}

}  // namespace mobisync
