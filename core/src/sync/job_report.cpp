// SPDX-License-Identifier: Apache-2.0
// Exit codes from job reports.
#include "sync/job_report.hpp"

namespace mobisync::sync {

const char* outcomeName(JobOutcome o) {
  switch (o) {
    case JobOutcome::Succeeded: return "succeeded";
    case JobOutcome::Blocked: return "blocked";
    case JobOutcome::Partial: return "partial";
    case JobOutcome::Failed: return "failed";
    case JobOutcome::Skipped: return "skipped";
  }
  return "unknown";
}

int exitCodeFor(const JobReport& r) {
  if (r.outcome == JobOutcome::Skipped) return kExitTempFail;
  if (r.outcome == JobOutcome::Failed && !r.status.isOk()) {
    switch (r.status.code()) {
      case Errc::InvalidConfig: return kExitConfig;
      case Errc::Internal: return kExitSoftware;
      case Errc::PluginFailure: return kExitSoftware;
      default: break;
    }
  }
  if (r.auth_failed) return kExitNoPerm;
  if (r.provider_unavailable) return kExitUnavailable;
  if (r.stopped) return kExitTempFail;
  if (r.outcome == JobOutcome::Failed && r.refused == 0) return kExitUnavailable;
  if (r.refused > 0) return kExitProtocol;
  if (r.outcome == JobOutcome::Blocked) return kExitBlocked;
  return kExitOk;
}

int worseExit(int a, int b) {
  // Order of seriousness: software bug, config, credentials, unavailable, protocol, blocked,
  // and last a job another process was applying (it runs, just not here).
  static constexpr int kOrder[] = {kExitSoftware, kExitConfig,  kExitNoPerm,   kExitUnavailable,
                                   kExitProtocol, kExitBlocked, kExitTempFail, kExitOk};
  for (int code : kOrder) {
    if (a == code || b == code) return code;
  }
  return a != 0 ? a : b;
}

}  // namespace mobisync::sync
