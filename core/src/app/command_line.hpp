// SPDX-License-Identifier: Apache-2.0
// parseCommandLine(): argv to a command and its CliOptions, by the tables of option_table.hpp.
#pragma once

#include <string>
#include <vector>

#include "app/cli_options.hpp"

namespace mobisync::app {

/// A command line that cannot run: the message names the command and the option (exit 64).
struct UsageError {
  std::string message;
};

struct CommandLine {
  std::string command;  ///< "" when none was given; "help" for `mobisync help [COMMAND]`
  bool help = false;    ///< -h/--help, or the `help` command
  bool version = false;
  CliOptions options;   ///< options.args: the command and its operands
};

/// Parses the arguments after the program name. Options go before or after the command
/// (`--name VALUE`, `--name=VALUE`, `-c FILE`, `-cFILE`, `-vv`); `--` ends them. An option the
/// command does not take, an unknown one, a bad value or a non-repeatable option given twice
/// throws UsageError.
CommandLine parseCommandLine(const std::vector<std::string>& arguments);

}  // namespace mobisync::app
