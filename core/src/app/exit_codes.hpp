// SPDX-License-Identifier: Apache-2.0
// The exit-code table: one list that `--help` prints and a test holds README and errors.md to.
#pragma once

#include <span>
#include <string>

namespace mobisync::app {

struct ExitCodeDoc {
  int code;
  const char* meaning;  ///< as README's "Exit codes" table says it
};

/// Every exit code mobisync uses, in ascending order (values from sync/job_report.hpp).
std::span<const ExitCodeDoc> exitCodeTable();

/// "exit codes: 0 ..., 64 ..., ..." for the end of `--help`.
std::string exitCodeHelp();

}  // namespace mobisync::app
