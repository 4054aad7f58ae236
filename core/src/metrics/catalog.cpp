// SPDX-License-Identifier: Apache-2.0
// The metric families mobisync exports.
#include "metrics/catalog.hpp"

#include "mobisync/build_info.hpp"
#include "mobisync/plugin/abi.hpp"

namespace mobisync::metrics {

namespace {

#if defined(__clang__)
constexpr const char* kCompiler = "clang " __clang_version__;
#elif defined(__GNUC__)
constexpr const char* kCompiler = "gcc " __VERSION__;
#else
constexpr const char* kCompiler = "unknown";
#endif

}  // namespace

void describeCatalog(Registry& r) {
  r.describe(kJobRuns, Type::Counter,
             "Job runs by outcome: succeeded (every planned call confirmed), partial (some "
             "were not), blocked (a safety gate held removals) or failed");
  r.describe(kJobRunsSkipped, Type::Counter,
             "Scheduled runs skipped because the job's previous run was still going");
  r.describe(kJobRunsLeaseSkipped, Type::Counter,
             "Scheduled runs skipped because another process held the job's lease");
  r.describe(kJobRunning, Type::Gauge, "1 while a run of the job is in flight");
  r.describe(kJobLastSuccess, Type::Gauge,
             "When a run of the job last succeeded, every planned call confirmed (Unix seconds)");
  r.describe(kJobNextRun, Type::Gauge, "When the job is next due (Unix seconds)");
  r.describe(kContactsFetched, Type::Counter, "Source rows read");
  r.describe(kContactsAdded, Type::Counter, "Subscriptions the provider confirmed created");
  r.describe(kContactsRemoved, Type::Counter, "Subscriptions confirmed removed or released");
  r.describe(kContactsRejected, Type::Counter, "Source rows rejected (see the reject file)");
  r.describe(kContactsFailed, Type::Counter,
             "Subscriptions the provider refused or that stayed unavailable");
  r.describe(kProviderCalls, Type::Counter,
             "Provider HTTP requests by job, call (create, remove) and outcome (ok, rejected, "
             "retry)");
  r.describe(kProviderCallSeconds, Type::Histogram, "Provider HTTP request latency by job and call",
             {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  r.describe(kMessages, Type::Counter,
             "Messages by notifier and the status they reached: queued (written to the outbox), "
             "submitted, delivered, failed, expired, unknown (no final receipt within "
             "receipt_expiry), suppressed (recipient opted out, never sent)");
  r.describe(kMessageReceiptSeconds, Type::Histogram,
             "Time from a message's submission to its final delivery receipt",
             {1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400});
  r.describe(kReceiptsUnmatched, Type::Counter,
             "Delivery receipts for a message id the state does not know (acknowledged, logged)");
  r.describe(kSmppBoundSessions, Type::Gauge, "SMPP sessions currently bound");
  r.describe(kMessagesReceived, Type::Counter,
             "Messages received from handsets (replies), stored once each");
  r.describe(kOptouts, Type::Counter,
             "Numbers opted out: by a reply's keyword, or imported from the provider's list");
  r.describe(kConfigReloads, Type::Counter,
             "SIGHUP config reloads: applied, or refused (the old config stays)");
  r.describe(kStartTime, Type::Gauge, "When the daemon started (Unix seconds)");
  r.describe(kBuildInfo, Type::Gauge,
             "Always 1; the labels say which build runs (version, plugin ABI, compiler)");
  r.set(kBuildInfo,
        {{"version", kSdkVersion},
         {"sdk", std::to_string(kSdkVersionMajor) + "." + std::to_string(kSdkVersionMinor)},
         {"abi", std::to_string(plugin::kAbiVersion)},
         {"abi_tag", plugin::kAbiTag},
         {"compiler", kCompiler}},
        1);
}

void declareJobSeries(Registry& r, const std::vector<std::string>& jobs) {
  for (const auto& job : jobs) {
    const Labels j{{"job", job}};
    for (const char* outcome : kJobOutcomes) {
      r.declareSeries(kJobRuns, {{"job", job}, {"outcome", outcome}});
    }
    for (const char* name : {kJobRunsSkipped, kJobRunsLeaseSkipped, kJobRunning,
                             kContactsFetched, kContactsAdded, kContactsRemoved,
                             kContactsRejected, kContactsFailed}) {
      r.declareSeries(name, j);
    }
    for (const char* call : kProviderCallKinds) {
      for (const char* outcome : kProviderCallOutcomes) {
        r.declareSeries(kProviderCalls, {{"job", job}, {"call", call}, {"outcome", outcome}});
      }
      r.declareSeries(kProviderCallSeconds, {{"job", job}, {"call", call}});
    }
  }
}

void declareMessagingSeries(Registry& r, const std::vector<std::string>& notifiers) {
  for (const auto& n : notifiers) {
    for (const char* status : kMessageStatuses) {
      r.declareSeries(kMessages, {{"notifier", n}, {"status", status}});
    }
    for (const char* name : {kMessageReceiptSeconds, kReceiptsUnmatched, kSmppBoundSessions,
                             kMessagesReceived}) {
      r.declareSeries(name, {{"notifier", n}});
    }
  }
  for (const char* origin : kOptoutOrigins) r.declareSeries(kOptouts, {{"origin", origin}});
}

void recordProviderAttempt(const std::string& job, const char* call, const char* outcome,
                           double seconds) {
  Registry& r = global();
  r.increment(kProviderCalls, {{"job", job}, {"call", call}, {"outcome", outcome}});
  r.observe(kProviderCallSeconds, {{"job", job}, {"call", call}}, seconds);
}

}  // namespace mobisync::metrics
