// SPDX-License-Identifier: Apache-2.0
// printHelp(): `mobisync --help` and `mobisync COMMAND --help`, from the option tables.
#pragma once

#include <ostream>

#include "app/option_table.hpp"

namespace mobisync::app {

/// The command's usage, paragraph, own options, the global options and the exit codes; with
/// `command` nullptr, the command list instead.
void printHelp(std::ostream& out, const CommandSpec* command);

/// "-c, --config FILE" or "    --format FORMAT": how an option is written in help.
std::string optionSynopsis(const OptionSpec& o);

}  // namespace mobisync::app
