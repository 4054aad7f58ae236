// SPDX-License-Identifier: Apache-2.0
// The metric families mobisync exports, by name, and the one place they are declared.
#pragma once

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
// Provider (fed by the applier for every HTTP attempt).
inline constexpr const char* kProviderCalls = "mobisync_provider_calls_total";  // {call,outcome}
inline constexpr const char* kProviderCallSeconds = "mobisync_provider_call_duration_seconds";
// Messaging (for notifiers to feed).
inline constexpr const char* kMessagesSent = "mobisync_messages_sent_total";            // {notifier}
inline constexpr const char* kMessagesDelivered = "mobisync_messages_delivered_total";  // {notifier}
inline constexpr const char* kMessagesFailed = "mobisync_messages_failed_total";        // {notifier}
inline constexpr const char* kSmppBoundSessions = "mobisync_smpp_bound_sessions";       // {notifier}
// The daemon itself.
inline constexpr const char* kConfigReloads = "mobisync_config_reloads_total";  // {result}
inline constexpr const char* kStartTime = "mobisync_start_time_seconds";

/// Declares every family above in `r`.
void describeCatalog(Registry& r);

/// Records one provider HTTP attempt: `call` create or remove, `outcome` ok, rejected or retry.
void recordProviderAttempt(const char* call, const char* outcome, double seconds);

}  // namespace mobisync::metrics
