// SPDX-License-Identifier: Apache-2.0
// mobisync(1) and mobisync.toml(5) in roff, from the option tables, the exit-code table and the
// config schemas: the build generates them (tools/docgen), so they cannot drift from the code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "mobisync/plugin/abi.hpp"

namespace mobisync::app {

/// mobisync(1): every command with its usage, text and options, the global options, the exit
/// codes, the environment.
void writeCommandManPage(std::ostream& out);

/// mobisync.toml(5): every table and key of the core, then each plugin's keys.
void writeConfigManPage(std::ostream& out, const std::vector<const plugin::Descriptor*>& plugins);

/// `text` for a roff text line: backslashes and minus signs escaped, `code` in bold, and a
/// leading zero-width character so no line starts a request.
std::string roffText(const std::string& text);

}  // namespace mobisync::app
