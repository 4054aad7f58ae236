// SPDX-License-Identifier: Apache-2.0
// judgeApply(): outcome and reason of a run whose calls are done.
#include "sync/run_outcome.hpp"

#include <Poco/Format.h>

namespace mobisync::sync {

namespace {

/// Why some planned calls were not confirmed, first cause first; empty when only refusals.
std::string whyUnconfirmed(JobReport& r, const remote::ApplyStats& stats,
                           const ApplyCircumstances& c) {
  if (r.auth_failed) {
    return "the provider refused the credentials of user " + c.provider_user +
           "; the run stopped at the first refusal";
  }
  if (stats.provider_failed && !stats.halt_reason.empty()) return stats.halt_reason;
  if (c.deadline_expired) {
    r.stopped = true;
    return "stopped: max_run_seconds = " + std::to_string(c.deadline_seconds) + " reached";
  }
  if (stats.stopped || c.stop_requested) {
    r.stopped = true;
    return "stopped before every call was made";
  }
  if (r.provider_unavailable) {
    return "the provider did not answer every call within max_attempts = " +
           std::to_string(c.max_attempts);
  }
  return {};
}

}  // namespace

void judgeApply(JobReport& r, const remote::ApplyStats& stats, const ApplyCircumstances& c) {
  if (stats.auth_failed) r.auth_failed = true;
  // Unconfirmed calls that were sent and not refused: the provider failed them (retries used
  // up, the circuit breaker, a refused certificate). Calls cut short by the caller's stop are
  // the stop's, not the provider's.
  const std::size_t unavailable_sent = stats.unavailable - stats.not_made;
  if (stats.provider_failed || (unavailable_sent > 0 && !stats.stopped && !stats.auth_failed)) {
    r.provider_unavailable = true;
  }
  if (!c.lease_lost.empty()) {
    r.outcome = JobOutcome::Failed;
    r.status = Status::unavailable(c.lease_lost);
    return;
  }
  if (!stats.config_error.empty()) {
    // Nothing was sent: the [provider] settings are the config's to fix (exit 78).
    r.outcome = JobOutcome::Failed;
    r.status = Status::invalidConfig("provider: " + stats.config_error + "; no call was made");
    return;
  }
  if (r.failed == 0) return;  // Succeeded, or Blocked with every other call confirmed
  r.outcome = r.confirmed_calls > 0 ? JobOutcome::Partial : JobOutcome::Failed;
  const std::string tally = Poco::format("%Ld of %Ld planned calls confirmed", r.confirmed_calls,
                                         r.calls);
  std::string why = whyUnconfirmed(r, stats, c);
  const bool credentials = r.auth_failed;
  if (r.refused > 0) {
    why += std::string(why.empty() ? "" : "; ") + "the provider refused " +
           std::to_string(r.refused) + " subscriptions (see the reject file)";
  }
  // Refusals alone are the rows' fault (exit 76); anything else stopped or failed the calls.
  const bool only_refusals =
      r.refused > 0 && !credentials && !r.provider_unavailable && !r.stopped;
  r.status = Status(only_refusals ? Errc::Rejected : Errc::Unavailable,
                    why + " (" + tally + "); confirmed calls are recorded, the rest are planned "
                                         "again on the next run");
}

}  // namespace mobisync::sync
