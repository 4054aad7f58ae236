// SPDX-License-Identifier: Apache-2.0
// Outbox: messages written to the state before they are sent, taken by one drainer at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "state/message_log.hpp"
#include "state/state_store.hpp"

namespace mobisync::state {

/// A status change the drainer writes for one row (appended to message_events, origin "outbox").
struct OutboxTransition {
  std::int64_t id = 0;
  std::string status;               ///< submitted, queued (retry), failed, expired, suppressed
  std::string message_id;           ///< submitted: the provider's id
  std::string detail;
  std::int64_t next_attempt_at_ms = 0;  ///< queued: when to try again
};

/// The outbox side of the `messages` table. queued -> sending (claimDue) -> submitted, or back
/// to queued (markRetry), or failed / expired / suppressed. A row left 'sending' by a drainer
/// that is gone goes back to queued (requeueStale), so only what was in flight at a crash can be
/// sent twice. Borrows the store; same threading rule. Throws StateError on database failures.
class Outbox {
 public:
  explicit Outbox(StateStore& store) : store_(store) {}

  /// Writes every record as 'queued' (text, originator, parts, encoding, expires_at set by the
  /// caller) in one transaction. Per record: the new row id, or 0 when its dedup_key is taken.
  std::vector<std::int64_t> enqueue(const std::vector<MessageRecord>& records,
                                    std::int64_t now_ms);
  /// Takes up to `limit` queued rows of `notifier` due at `now_ms` (oldest first), marks them
  /// 'sending' by `holder` and counts an attempt. Rows another drainer took are not returned.
  std::vector<MessageRecord> claimDue(const std::string& notifier, const std::string& holder,
                                      std::int64_t now_ms, int limit);
  /// Queued rows whose expires_at has passed become 'expired'; returns how many.
  std::int64_t expireOverdue(std::int64_t now_ms);
  /// Rows 'sending' by another holder go back to 'queued' when they were taken before
  /// now - in_flight_timeout, or at once when their holder is a process of this host that is
  /// gone (state::holderIsDeadHere). Returns how many.
  std::int64_t requeueStale(std::int64_t now_ms, std::int64_t in_flight_timeout_ms,
                            const std::string& me);

  /// Applies transitions in one transaction.
  void apply(const std::vector<OutboxTransition>& changes, std::int64_t now_ms);
  void markSubmitted(std::int64_t id, const std::string& message_id, std::int64_t now_ms);
  void markRetry(std::int64_t id, const std::string& detail, std::int64_t next_attempt_at_ms,
                 std::int64_t now_ms);
  void markFailed(std::int64_t id, const std::string& detail, std::int64_t now_ms);
  void markExpired(std::int64_t id, const std::string& detail, std::int64_t now_ms);
  void markSuppressed(std::int64_t id, const std::string& detail, std::int64_t now_ms);

  /// Notifiers with queued rows.
  std::vector<std::string> notifiersWithQueued();
  /// The earliest next_attempt_at of queued rows of `notifier` (for sleeping drainers); nothing
  /// when none is queued.
  std::optional<std::int64_t> nextDue(const std::string& notifier);
  /// Rows per (notifier, status).
  std::map<std::pair<std::string, std::string>, std::int64_t> countsByNotifier();
  /// Rows per status over every notifier.
  std::map<std::string, std::int64_t> counts();

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
