// SPDX-License-Identifier: Apache-2.0
// MessageLog: every message mobisync sent or means to send, so each is sent at most once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/state_store.hpp"

namespace mobisync::state {

/// One row of the `messages` table. Status: pending (claimed, send not known to have finished),
/// sent, dropped (the provider refused it for good), failed (never accepted), or a delivery
/// receipt's state in lower case (delivered, undeliverable, expired, ...).
struct MessageRecord {
  std::int64_t id = 0;
  std::string dedup_key;  ///< unique: a second claim of the same key is refused
  std::string job;
  std::string rule;
  std::string event;
  std::string notifier;
  std::string recipient;
  std::string reference;
  std::string message_id;  ///< the provider's
  std::string status = "pending";
  std::string detail;
  std::int64_t parts = 1;
  std::string encoding;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

/// How a claimed message ended, for MessageLog::record.
struct MessageOutcome {
  std::int64_t id = 0;
  std::string status;
  std::string message_id;
  std::string detail;
  std::int64_t parts = 1;
  std::string encoding;
};

/// The `messages` table over the store's session. Claim before sending, record after: a crash in
/// between leaves a pending row that is listed, never sent again. Borrows the store, which must
/// outlive it; same threading rule as the store. Throws StateError on database failures.
class MessageLog {
 public:
  explicit MessageLog(StateStore& store) : store_(store) {}

  /// Claims every record's dedup_key as 'pending' in one transaction. Returns, per record, the new
  /// row id, or 0 when that key was claimed before (already sent, or claimed by an earlier run).
  std::vector<std::int64_t> claim(const std::vector<MessageRecord>& records, std::int64_t now_ms);
  /// Writes how claimed messages ended, in one transaction.
  void record(const std::vector<MessageOutcome>& outcomes, std::int64_t now_ms);
  /// Stores a delivery receipt's state on the message `notifier` sent as `message_id`; false
  /// when no such message is known.
  bool recordReceipt(const std::string& notifier, const std::string& message_id,
                     const std::string& status, const std::string& detail, std::int64_t now_ms);
  std::optional<MessageRecord> findByProviderId(const std::string& notifier,
                                                const std::string& message_id);
  /// The last `limit` messages of `job` (every job when empty), newest first.
  std::vector<MessageRecord> list(const std::string& job, int limit);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
