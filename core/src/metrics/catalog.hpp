// SPDX-License-Identifier: Apache-2.0
// The metric families mobisync exports, by name, and the one place they are declared.
#pragma once

#include <string>
#include <vector>

#include "metrics/registry.hpp"

namespace mobisync::metrics {

// Jobs (fed by `mobisync run` after each run).
inline constexpr const char* kJobRuns = "mobisync_job_runs_total";  // {job,outcome}
inline constexpr const char* kJobRunsSkipped = "mobisync_job_runs_skipped_total";  // {job}
inline constexpr const char* kJobRunsLeaseSkipped =
    "mobisync_job_runs_lease_skipped_total";  // {job}
inline constexpr const char* kJobRunning = "mobisync_job_running";                  // {job}
inline constexpr const char* kJobLastSuccess = "mobisync_job_last_success_timestamp_seconds";
inline constexpr const char* kJobNextRun = "mobisync_job_next_run_timestamp_seconds";
inline constexpr const char* kContactsFetched = "mobisync_contacts_fetched_total";    // {job}
inline constexpr const char* kContactsAdded = "mobisync_contacts_added_total";        // {job}
inline constexpr const char* kContactsRemoved = "mobisync_contacts_removed_total";    // {job}
inline constexpr const char* kContactsRejected = "mobisync_contacts_rejected_total";  // {job}
inline constexpr const char* kContactsFailed = "mobisync_contacts_failed_total";      // {job}
/// The outcomes kJobRuns counts, each present from the start at 0 for every scheduled job.
inline constexpr const char* kJobOutcomes[] = {"succeeded", "partial", "blocked", "failed"};
// Provider (fed by the applier for every HTTP attempt).
inline constexpr const char* kProviderCalls =
    "mobisync_provider_calls_total";  // {job,call,outcome}
inline constexpr const char* kProviderCallSeconds =
    "mobisync_provider_call_duration_seconds";  // {job,call}
inline constexpr const char* kProviderCallKinds[] = {"create", "remove"};
inline constexpr const char* kProviderCallOutcomes[] = {"ok", "rejected", "retry"};
// Messaging (fed by the daemon's messaging service, notify/messaging_service.hpp).
inline constexpr const char* kMessages = "mobisync_messages_total";  // {notifier,status}
inline constexpr const char* kMessageReceiptSeconds =
    "mobisync_message_receipt_seconds";  // {notifier}: submitted -> final receipt
inline constexpr const char* kReceiptsUnmatched =
    "mobisync_receipts_unmatched_total";  // {notifier}: receipts for ids the state does not know
inline constexpr const char* kSmppBoundSessions = "mobisync_smpp_bound_sessions";  // {notifier}
inline constexpr const char* kMessagesReceived =
    "mobisync_messages_received_total";  // {notifier}: replies and other messages from handsets
inline constexpr const char* kOptouts = "mobisync_optouts_total";  // {origin}: reply, provider
/// The statuses kMessages counts, each present from the start at 0 for every notifier.
inline constexpr const char* kMessageStatuses[] = {"queued",  "submitted", "delivered",
                                                   "failed",  "expired",   "unknown",
                                                   "suppressed"};
/// The origins kOptouts counts: a reply's keyword, the provider's opt-out list.
inline constexpr const char* kOptoutOrigins[] = {"reply", "provider"};
// The daemon itself.
inline constexpr const char* kConfigReloads = "mobisync_config_reloads_total";  // {result}
inline constexpr const char* kStartTime = "mobisync_start_time_seconds";
/// 1, labelled with the version, SDK ABI and compiler of this build.
inline constexpr const char* kBuildInfo = "mobisync_build_info";

/// Declares every family above in `r`.
void describeCatalog(Registry& r);

/// Puts every messaging series of `notifiers` (and every opt-out origin) in `r` at 0, so a
/// dashboard sees them before the first message.
void declareMessagingSeries(Registry& r, const std::vector<std::string>& notifiers);

/// Puts every job series of `jobs` in `r` at 0 (runs by outcome, skips, running, contact
/// counts, provider calls), so a dashboard and an alert's increase() see them before the first
/// run. The last-success gauge is left to the caller, who knows it from the state.
void declareJobSeries(Registry& r, const std::vector<std::string>& jobs);

/// Records one provider HTTP attempt of `job`: `call` create or remove, `outcome` ok, rejected
/// or retry.
void recordProviderAttempt(const std::string& job, const char* call, const char* outcome,
                           double seconds);

}  // namespace mobisync::metrics
