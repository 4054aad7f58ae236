// SPDX-License-Identifier: Apache-2.0
// The exit-code table: one list that `--help` prints and a test holds README and errors.md to.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace mobisync::app {

struct ExitCodeDoc {
  int code;
  const char* meaning;  ///< as README's "Exit codes" table says it
};

/// Every exit code mobisync uses, in ascending order (values from sync/job_report.hpp).
std::span<const ExitCodeDoc> exitCodeTable();

/// The table for the end of `--help`, one code a paragraph, wrapped at `width` columns.
std::string exitCodeHelp(std::size_t width = 100);

}  // namespace mobisync::app
