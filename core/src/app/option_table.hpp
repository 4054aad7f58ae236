// SPDX-License-Identifier: Apache-2.0
// The command line declared as data: every option once, every command with the options it takes.
// The parser, `--help`, the man page and the shell completion all read these two tables, so
// none of them can list an option another refuses.
#pragma once

#include <span>
#include <string_view>

namespace mobisync::app {

enum class OptionId {
  Help,
  Version,
  Config,
  PluginDir,
  LogLevel,
  Quiet,
  Verbose,
  Format,
  Limit,
  Progress,
  Force,
  DryRun,
  AllowEmptySource,
  FullRefresh,
  Via,
  To,
  Text,
  TextFile,
  Originator,
  WaitReceipts,
  Json,
  Job,
  Connect,
};

/// What a shell may complete an option's argument with.
enum class ArgumentKind { None, Text, File, Directory, Choice };

struct OptionSpec {
  OptionId id;
  const char* long_name;   ///< without the leading "--"
  char short_name;         ///< '\0' when it has none
  const char* argument;    ///< the argument's name in help ("FILE"), nullptr for a flag
  ArgumentKind kind;
  const char* choices;     ///< ArgumentKind::Choice: the words, space-separated
  bool repeatable;
  const char* help;        ///< one line, as `--help` prints it
};

/// An option as one command takes it; `help` (when set) says what it does for that command.
struct CommandOption {
  OptionId id;
  const char* help = nullptr;
};

struct CommandSpec {
  const char* name;
  const char* usage;        ///< after "usage: mobisync "
  const char* summary;      ///< one line, for the command list and the man page's NAME-like line
  const char* text;         ///< the paragraph `mobisync COMMAND --help` prints
  const char* subcommands;  ///< space-separated, or "" (completion offers them)
  const char* formats;      ///< --format's values for this command, or nullptr (none taken)
  std::span<const CommandOption> options;  ///< besides the global ones
};

/// Every option, global ones first.
std::span<const OptionSpec> optionTable();
/// The options every command takes (--config, --plugin-dir, --log-level, -q, -v, --help).
std::span<const CommandOption> globalOptions();
/// Every command, in the order `--help` lists them.
std::span<const CommandSpec> commandTable();

const OptionSpec& optionSpec(OptionId id);
/// nullptr when no option has this long name (without "--") or short letter.
const OptionSpec* findLongOption(std::string_view name);
const OptionSpec* findShortOption(char letter);
/// nullptr when there is no such command.
const CommandSpec* findCommand(std::string_view name);
/// The option as `command` takes it (global or its own), or nullptr when it does not.
const CommandOption* commandOption(const CommandSpec& command, OptionId id);

/// The log levels --log-level accepts, space-separated, quietest first.
inline constexpr std::string_view kLogLevels = "error warning notice information debug trace";

}  // namespace mobisync::app
