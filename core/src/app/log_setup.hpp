// SPDX-License-Identifier: Apache-2.0
// setupLogging(): Poco channels from the [log] table (console or file, level, format).
#pragma once

#include <string>

namespace mobisync::app {

/// Sends every mobisync logger to stderr (or `file`) at `level`, as `format` says: "text" (the
/// house pattern) or "json" (log_formats.hpp). On stderr that is the journal's stream (a
/// systemd service) each line starts with its syslog priority, "<3>", and text lines leave the
/// time to the journal.
void setupLogging(const std::string& level, const std::string& file,
                  const std::string& format = "text");

}  // namespace mobisync::app
