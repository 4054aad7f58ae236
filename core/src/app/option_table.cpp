// SPDX-License-Identifier: Apache-2.0
// The option and command tables (option_table.hpp); the commands' texts are in command_texts.cpp.
#include "app/option_table.hpp"

#include <algorithm>

#include "app/command_texts.hpp"

namespace mobisync::app {

namespace {

using K = ArgumentKind;
using O = OptionId;

constexpr OptionSpec kOptions[] = {
    {O::Help, "help", 'h', nullptr, K::None, nullptr, false,
     "show help (after a command: that command's)"},
    {O::Version, "version", '\0', nullptr, K::None, nullptr, false, "print the version"},
    {O::Config, "config", 'c', "FILE", K::File, nullptr, false,
     "config file (default $MOBISYNC_CONFIG, else ./mobisync.toml)"},
    {O::PluginDir, "plugin-dir", '\0', "DIR", K::Directory, nullptr, true,
     "plugin directory (repeatable); overrides [plugins] dirs"},
    {O::LogLevel, "log-level", '\0', "LEVEL", K::Choice,
     "error warning notice information debug trace", false,
     "log level, overriding [log] level: error, warning, notice, information, debug or trace"},
    {O::Quiet, "quiet", 'q', nullptr, K::None, nullptr, false,
     "errors only: log level error, no progress line"},
    {O::Verbose, "verbose", 'v', nullptr, K::None, nullptr, true,
     "more log: -v debug (plugin loading, batches), -vv trace"},
    {O::Format, "format", '\0', "FORMAT", K::Choice, "table json", false,
     "output: table (default) or json"},
    {O::Limit, "limit", '\0', "N", K::Text, nullptr, false, "rows shown (default 50)"},
    {O::Progress, "progress", '\0', "WHEN", K::Choice, "auto always never", false,
     "progress line on stderr: auto (on a terminal), always or never"},
    {O::Force, "force", '\0', nullptr, K::None, nullptr, false, "apply removals over max_delete"},
    {O::DryRun, "dry-run", '\0', nullptr, K::None, nullptr, false,
     "read, plan and check the gates, but make no provider call"},
    {O::AllowEmptySource, "allow-empty-source", '\0', nullptr, K::None, nullptr, false,
     "let a source with no contacts remove the job's subscriptions"},
    {O::FullRefresh, "full-refresh", '\0', nullptr, K::None, nullptr, false,
     "incremental sources ignore their cursor and read everything once"},
    {O::Via, "via", '\0', "NAME", K::Text, nullptr, false, "the [[notifier]] to use"},
    {O::To, "to", '\0', "N[,N...]", K::Text, nullptr, true,
     "recipients in international form, comma-separated (repeatable)"},
    {O::Text, "text", '\0', "T", K::Text, nullptr, false, "the message text"},
    {O::TextFile, "text-file", '\0', "F", K::File, nullptr, false,
     "read the message text from a file"},
    {O::Originator, "originator", '\0', "O", K::Text, nullptr, false,
     "sender shown on the phone"},
    {O::WaitReceipts, "wait-receipts", '\0', "DURATION", K::Text, nullptr, false,
     "also wait up to DURATION (30s, 2m, 1h) for delivery receipts"},
    {O::Json, "json", '\0', nullptr, K::None, nullptr, false, "same as --format json"},
    {O::Job, "job", '\0', "J", K::Text, nullptr, false, "only this job's messages"},
    {O::Connect, "connect", '\0', nullptr, K::None, nullptr, false,
     "also reach every endpoint of the config, changing nothing: one line each with its "
     "latency and verdict"},
};

constexpr CommandOption kGlobal[] = {{O::Config}, {O::PluginDir}, {O::LogLevel},
                                            {O::Quiet},  {O::Verbose},   {O::Help}};

constexpr CommandOption kCheck[] = {
    {O::Connect},
    {O::Format, "output: table (default) or json"},
};
constexpr CommandOption kPlan[] = {
    {O::Format, "output: table (default) or json (every change)"},
    {O::Limit, "changes shown in the table (default 50)"},
    {O::FullRefresh},
    {O::Force, "plan as `sync --force` would: no max_delete block"},
    {O::AllowEmptySource, "plan as `sync --allow-empty-source` would"},
};
constexpr CommandOption kSync[] = {
    {O::Format, "output: table (default: a short plan preview, then the result) or json"},
    {O::Force},
    {O::DryRun},
    {O::AllowEmptySource},
    {O::FullRefresh},
    {O::Progress},
};
constexpr CommandOption kState[] = {
    {O::Format, "output of show and messages: table (default) or json"},
    {O::Job, "messages: only this job's"},
    {O::Limit, "messages: how many, newest first (default 50)"},
};
constexpr CommandOption kSend[] = {
    {O::Via, "the [[notifier]] to send through (required)"},
    {O::To},
    {O::Text},
    {O::TextFile},
    {O::Originator},
    {O::WaitReceipts},
    {O::Format, "output: table (default) or json, one object per recipient"},
};
constexpr CommandOption kHlr[] = {
    {O::Via, "the [[notifier]] to ask (default: the first that can look numbers up)"},
    {O::Format},
    {O::Json},
};
constexpr CommandOption kWebhooks[] = {
    {O::Via, "the http [[notifier]] whose JSON API key registers (default: the first with one)"},
};
constexpr CommandOption kOptouts[] = {
    {O::Format, "output of list: table (default) or json"},
};
constexpr CommandOption kPlugins[] = {
    {O::Format, "output: table (default), json, or json-schema (schema: a JSON Schema of the "
                "whole config)"},
};

const CommandSpec kCommands[] = {
    {"check", "check [--connect] [--format table|json]", texts::kCheckSummary, texts::kCheck, "",
     "table json", kCheck},
    {"plan", "plan [JOB...] [--format table|json] [--limit N] [--full-refresh]",
     texts::kPlanSummary, texts::kPlan, "", "table json", kPlan},
    {"sync", "sync [JOB...] [--force] [--dry-run] [--allow-empty-source] [--full-refresh]",
     texts::kSyncSummary, texts::kSync, "", "table json", kSync},
    {"run", "run", texts::kRunSummary, texts::kRun, "", nullptr, {}},
    {"state",
     "state show [JOB] | state reset JOB | state messages [--job J] [--limit N]",
     texts::kStateSummary, texts::kState, "show reset messages", "table json", kState},
    {"send",
     "send --via NAME --to N[,N...] (--text T | --text-file F) [--originator O] "
     "[--wait-receipts DURATION]",
     texts::kSendSummary, texts::kSend, "", "table json", kSend},
    {"hlr", "hlr [--via NAME] [--format table|json] NUMBER...", texts::kHlrSummary, texts::kHlr,
     "", "table json", kHlr},
    {"webhooks", "webhooks register [--via NAME]", texts::kWebhooksSummary, texts::kWebhooks,
     "register", nullptr, kWebhooks},
    {"optouts", "optouts list | optouts import | optouts export [FILE]", texts::kOptoutsSummary,
     texts::kOptouts, "list import export", "table json", kOptouts},
    {"plugins", "plugins list | plugins describe NAME | plugins reference | plugins schema",
     texts::kPluginsSummary, texts::kPlugins, "list describe reference schema",
     "table json json-schema", kPlugins},
};

}  // namespace

std::span<const OptionSpec> optionTable() { return kOptions; }
std::span<const CommandOption> globalOptions() { return kGlobal; }
std::span<const CommandSpec> commandTable() { return kCommands; }

const OptionSpec& optionSpec(OptionId id) {
  return *std::find_if(std::begin(kOptions), std::end(kOptions),
                       [id](const OptionSpec& o) { return o.id == id; });
}

const OptionSpec* findLongOption(std::string_view name) {
  for (const auto& o : kOptions) {
    if (name == o.long_name) return &o;
  }
  return nullptr;
}

const OptionSpec* findShortOption(char letter) {
  for (const auto& o : kOptions) {
    if (letter != '\0' && o.short_name == letter) return &o;
  }
  return nullptr;
}

const CommandSpec* findCommand(std::string_view name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

const CommandOption* commandOption(const CommandSpec& command, OptionId id) {
  for (const auto& o : kGlobal) {
    if (o.id == id) return &o;
  }
  for (const auto& o : command.options) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

}  // namespace mobisync::app
