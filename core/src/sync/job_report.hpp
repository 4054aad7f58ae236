// SPDX-License-Identifier: Apache-2.0
// JobReport: what one run of a job did, for the summary line, `plan` output and exit codes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mobisync/model/contact.hpp"

#include "mobisync/status.hpp"
#include "state/run_counts.hpp"
#include "sync/plan.hpp"

namespace mobisync::sync {

/// How a run ended. Succeeded: every planned call was confirmed. Blocked: a safety gate held
/// removals, every other call was confirmed. Partial: some planned calls were confirmed, not
/// all. Failed: none was, or the run could not read, plan or record. Skipped: another process
/// held the job's lease, so this run did nothing at all. Only Succeeded counts as a success
/// (the last-success time, the stale-job alert).
enum class JobOutcome { Succeeded, Blocked, Partial, Failed, Skipped };

const char* outcomeName(JobOutcome o);

/// The counts (fetched, rejected, added, removed, updated, failed, held) are the RunCounts base:
/// the run history and job events take them as one value.
struct JobReport : state::RunCounts {
  std::string job;
  std::string source;
  JobOutcome outcome = JobOutcome::Succeeded;
  Status status;              ///< why it failed, when it did
  std::string blocked_reason; ///< what to do about a block
  std::string reject_file;
  std::vector<RejectedRow> reject_sample;  ///< the first few rejects, for display
  Plan plan;
  std::int64_t unreadable = 0; ///< rejected rows whose number could not be read (max_reject)
  std::int64_t duplicates = 0;
  std::int64_t calls = 0;
  std::int64_t refused = 0;  ///< of the failed pairs, those the provider refused (reject file)
  std::int64_t not_sent = 0; ///< of the failed pairs, those never sent (the run stopped)
  std::int64_t confirmed_calls = 0;  ///< calls the provider confirmed whole
  std::int64_t retries = 0;
  std::int64_t hlr_inactive = 0;     ///< numbers not subscribed: the lookup says inactive
  std::int64_t messages_sent = 0;    ///< notifications the notifier accepted
  std::int64_t messages_failed = 0;  ///< notifications refused, failed or not rendered
  std::vector<std::string> notify_problems;  ///< what went wrong notifying, one line each
  bool auth_failed = false;
  bool provider_unavailable = false;
  /// The run stopped before its calls were all made: a signal, max_run_seconds, a lost lease.
  bool stopped = false;
  double seconds = 0;
  double apply_seconds = 0;  ///< from the first provider call to the last answer recorded
};

/// sysexits-style codes (design.md section 6), documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitBlocked = 65;      ///< EX_DATAERR: the data needs a human (--force)
inline constexpr int kExitUnavailable = 69;  ///< EX_UNAVAILABLE: source or provider unreachable
inline constexpr int kExitSoftware = 70;
inline constexpr int kExitTempFail = 75;     ///< EX_TEMPFAIL: leased elsewhere, or stopped early
inline constexpr int kExitProtocol = 76;     ///< EX_PROTOCOL: the provider refused some calls
inline constexpr int kExitNoPerm = 77;       ///< EX_NOPERM: the provider refused the credentials
inline constexpr int kExitConfig = 78;

/// The exit code one report calls for.
int exitCodeFor(const JobReport& r);
/// The more serious of two exit codes, so several jobs give the worst one.
int worseExit(int a, int b);

}  // namespace mobisync::sync
