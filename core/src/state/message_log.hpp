// SPDX-License-Identifier: Apache-2.0
// MessageLog: the messages mobisync sent or means to send, their receipts and their history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/state_store.hpp"

namespace mobisync::state {

/// One row of the `messages` table. Status (the issue 19 lifecycle): queued, sending, submitted,
/// delivered, failed, expired, unknown, suppressed. See state/outbox.hpp for who moves it.
struct MessageRecord {
  std::int64_t id = 0;
  std::string dedup_key;  ///< unique: a second enqueue of the same key is refused
  std::string job;
  std::string rule;
  std::string event;
  std::string notifier;
  std::string recipient;
  std::string reference;
  std::string message_id;  ///< the provider's, once submitted
  std::string status = "queued";
  std::string detail;
  std::int64_t parts = 1;
  std::string encoding;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string text;
  std::string originator;
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at_ms = 0;
  std::int64_t expires_at_ms = 0;  ///< 0: never expires before it is sent
  std::string holder;              ///< the drainer that set it 'sending'
  std::int64_t submitted_at_ms = 0;
};

/// One status change of a message (table message_events).
struct MessageEvent {
  std::int64_t message = 0;
  std::int64_t at_ms = 0;
  std::string status;
  std::string detail;
  std::string origin;  ///< outbox, smpp, webhook, expiry, optout
};

/// What MessageLog::recordReceipt found.
struct ReceiptMatch {
  bool matched = false;     ///< a message with that provider id exists
  std::int64_t id = 0;      ///< its row id
  std::string status;       ///< its status after the receipt
  std::int64_t latency_ms = -1;  ///< receipt time minus submitted_at; -1 when unknown
};

/// True for statuses no receipt changes any more.
bool isFinalStatus(const std::string& status);
/// The status a receipt state means: DELIVRD delivered; UNDELIV/REJECTD/DELETED failed;
/// EXPIRED expired; anything else (ACCEPTD, ENROUTE, UNKNOWN) submitted (no change).
std::string receiptStatus(const std::string& receipt_state);

/// The `messages` and `message_events` tables over the store's session. Borrows the store, which
/// must outlive it; same threading rule as the store. Throws StateError on database failures.
class MessageLog {
 public:
  explicit MessageLog(StateStore& store) : store_(store) {}

  /// Applies a receipt to the message `notifier` (empty: any notifier) submitted as
  /// `provider_message_id`: a final status is never overwritten; the receipt is appended to the
  /// history (a repeat of the same status and detail from the same origin is skipped).
  ReceiptMatch recordReceipt(const std::string& notifier, const std::string& provider_message_id,
                             const std::string& receipt_state, const std::string& error,
                             std::int64_t done_at_ms, const std::string& origin,
                             std::int64_t now_ms);
  /// Submitted messages older than `expiry_ms` without a final receipt become 'unknown'
  /// (origin "expiry"); returns how many.
  std::int64_t expireUnreceipted(std::int64_t now_ms, std::int64_t expiry_ms);

  std::optional<MessageRecord> findByProviderId(const std::string& notifier,
                                                const std::string& message_id);
  std::optional<MessageRecord> find(std::int64_t id);
  /// The last `limit` messages of `job` (every job when empty), newest first.
  std::vector<MessageRecord> list(const std::string& job, int limit);
  /// Every status change of message `id`, oldest first.
  std::vector<MessageEvent> history(std::int64_t id);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
