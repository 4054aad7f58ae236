// SPDX-License-Identifier: Apache-2.0
// Shell completion for bash and zsh, generated from the option tables (tools/docgen).
#pragma once

#include <ostream>

namespace mobisync::app {

/// A bash completion script: commands, each command's options and subcommands, and the values
/// of --format (per command), --log-level and --progress; files for file arguments.
void writeBashCompletion(std::ostream& out);

/// The same for zsh (`_mobisync`, for a directory of $fpath).
void writeZshCompletion(std::ostream& out);

}  // namespace mobisync::app
