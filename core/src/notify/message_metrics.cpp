// SPDX-License-Identifier: Apache-2.0
// Receipts and replies recorded with their metrics.
#include "notify/message_metrics.hpp"

#include <Poco/Logger.h>

#include "metrics/catalog.hpp"

namespace mobisync::notify {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.messaging"); }

}  // namespace

void countMessages(const std::string& notifier, const char* status, std::int64_t by) {
  if (by <= 0) return;
  metrics::global().increment(metrics::kMessages, {{"notifier", notifier}, {"status", status}},
                              static_cast<double>(by));
}

state::ReceiptMatch recordReceiptCounted(state::StateStore& store, const std::string& notifier,
                                         const plugin::Receipt& receipt,
                                         const std::string& origin, std::int64_t now_ms) {
  state::MessageLog log_(store);
  // The status before, to count a change once: the SMSC may repeat a receipt, and a final status
  // is never overwritten, so only the first final receipt moves the counters.
  auto before = log_.findByProviderId(notifier, receipt.message_id);
  auto match = log_.recordReceipt(notifier, receipt.message_id, receipt.state, receipt.error,
                                  receipt.done_at_ms, origin, now_ms);
  const std::string label = notifier.empty() && before ? before->notifier : notifier;
  if (!match.matched || !before) {
    metrics::global().increment(metrics::kReceiptsUnmatched, {{"notifier", label}});
    log().warning("%s receipt %s for message id %s: no such message in the state (acknowledged)",
                  origin, receipt.state, receipt.message_id);
    return match;
  }
  if (before->status != match.status && state::isFinalStatus(match.status)) {
    countMessages(label, match.status.c_str(), 1);
    if (match.latency_ms >= 0) {
      metrics::global().observe(metrics::kMessageReceiptSeconds, {{"notifier", label}},
                                static_cast<double>(match.latency_ms) / 1000.0);
    }
  }
  return match;
}

void countInbound(const std::string& notifier, const InboundResult& result) {
  if (!result.stored) return;
  metrics::global().increment(metrics::kMessagesReceived, {{"notifier", notifier}});
  if (result.action == InboundAction::OptedOut) {
    metrics::global().increment(metrics::kOptouts, {{"origin", "reply"}});
  }
}

}  // namespace mobisync::notify
