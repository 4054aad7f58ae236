// SPDX-License-Identifier: Apache-2.0
// The exit-code table (sysexits, design.md section 6).
#include "app/exit_codes.hpp"

#include "app/text_wrap.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace {
// README.md, docs/errors.md, `--help` and mobisync(1) list exactly these codes
// (tests/integration/cli_test.cpp, cli_docs_test.cpp).
constexpr ExitCodeDoc kTable[] = {
    {sync::kExitOk, "done: every planned call was confirmed (rejected rows are reported, not fatal)"},
    {sync::kExitUsage, "usage error"},
    {sync::kExitBlocked,
     "blocked by a safety gate (max_delete, max_reject, an empty source): read the message, then "
     "fix the source or repeat with `--force`"},
    {sync::kExitUnavailable,
     "the source or the provider was unavailable (network, timeouts, the circuit breaker, a "
     "refused TLS certificate); confirmed calls are recorded, the rest are planned again; "
     "`mobisync run`: its metrics address is in use; `check --connect`: an endpoint did not "
     "answer"},
    {sync::kExitSoftware, "internal error"},
    {sync::kExitTempFail,
     "try again later: another process holds the job's lease, or the run stopped early "
     "(`max_run_seconds`, a signal)"},
    {sync::kExitProtocol, "the provider refused some calls (see the reject file)"},
    {sync::kExitNoPerm,
     "the provider refused the credentials (`check --connect`: any endpoint refused them)"},
    {sync::kExitConfig, "config or plugin error; the message names `file:line:column` and the key"},
};
}  // namespace

std::span<const ExitCodeDoc> exitCodeTable() { return kTable; }

std::string exitCodeHelp(std::size_t width) {
  std::string s = "exit codes:\n";
  for (const auto& e : kTable) s += wrapText("  " + std::to_string(e.code), e.meaning, 6, width);
  return s;
}

}  // namespace mobisync::app
