// SPDX-License-Identifier: Apache-2.0
// setupLogging(): Poco channels from the [log] table (console or file, level, one pattern).
#pragma once

#include <string>

namespace mobisync::app {

/// Sends every mobisync logger to stderr (or `file`) at `level`, with the house pattern.
void setupLogging(const std::string& level, const std::string& file);

}  // namespace mobisync::app
