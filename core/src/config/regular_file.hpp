// SPDX-License-Identifier: Apache-2.0
// Reading the config file and *_file secrets: regular files only, never blocking on a FIFO.
#pragma once

#include <cstddef>
#include <string>

#include "mobisync/result.hpp"

namespace mobisync::config {

/// The whole content of the regular file at `path`. A FIFO, device, socket or directory is
/// refused before anything could block on it (stat, then a non-blocking open whose descriptor
/// is checked again). The failed Status's message is "is not a regular file (a FIFO)",
/// "cannot read: <reason>" or "is larger than N bytes", without the path: the caller names it.
Result<std::string> readRegularFile(const std::string& path, std::size_t max_bytes);

/// The first line of the regular file at `path`, without its line end ("\n" or "\r\n"): how a
/// secret is kept in a file, whatever follows it. Reads at most `max_bytes` of the line.
/// Failures as readRegularFile(), plus "the first line is empty" and "has no line end within
/// the first N bytes". Never quotes the file's content.
Result<std::string> readFirstLine(const std::string& path, std::size_t max_bytes);

}  // namespace mobisync::config
