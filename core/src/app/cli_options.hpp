// SPDX-License-Identifier: Apache-2.0
// CliOptions: what the command line asked for, independent of the option parser.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mobisync::app {

struct CliOptions {
  std::string config_path;  ///< empty: $MOBISYNC_CONFIG, else ./mobisync.toml
  std::vector<std::string> plugin_dirs;
  std::string format = "table";  ///< table, json (json-schema: plugins schema)
  std::string log_level;         ///< overrides [log] level (-q: error, -v: debug, -vv: trace)
  bool quiet = false;            ///< -q: errors only (no progress line, no preview)
  std::string progress = "auto"; ///< auto (on a terminal), always, never
  bool force = false;
  bool dry_run = false;
  bool allow_empty_source = false;
  bool full_refresh = false;     ///< ignore incremental sources' cursors for this run
  int limit = 50;                ///< plan rows printed in table form
  std::string via;               ///< send, hlr: the [[notifier]]
  std::string to;                ///< send: recipients, comma-separated
  std::string text;              ///< send --text
  bool has_text = false;         ///< --text was given (even empty)
  std::string text_file;         ///< send --text-file
  std::string originator;        ///< send --originator
  std::int64_t wait_receipts_ms = 0;  ///< send --wait-receipts: 0 = return once submitted
  std::string job;               ///< state messages --job
  bool connect = false;          ///< check --connect: reach every endpoint, change nothing
  std::vector<std::string> args; ///< the command and its operands
};

}  // namespace mobisync::app
