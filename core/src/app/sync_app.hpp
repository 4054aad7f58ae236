// SPDX-License-Identifier: Apache-2.0
// SyncApp: the mobisync command line: parse, then help, version or one command.
#pragma once

#include <string>
#include <vector>

namespace mobisync {

/// Parses the arguments by the option tables (app/option_table.hpp) and dispatches to one
/// command, returning its exit code; a usage error is reported on stderr as exit 64. The daemon
/// (`run`) takes its signals itself (daemon/daemon.hpp), so no Poco application framework
/// stands between main() and the commands.
class SyncApp {
 public:
  /// `arguments`: argv without the program name.
  int run(const std::vector<std::string>& arguments);
};

}  // namespace mobisync
