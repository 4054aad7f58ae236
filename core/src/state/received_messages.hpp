// SPDX-License-Identifier: Apache-2.0
// ReceivedMessages: messages handsets sent us (replies, STOP), each stored once however often the
// SMSC or the webhook delivers it, and linked to the message it answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "state/state_store.hpp"

namespace mobisync::state {

/// One row of the `received_messages` table.
struct ReceivedMessage {
  std::int64_t id = 0;
  std::string dedup_key;
  std::string notifier;
  std::string provider_id;
  std::string originator;  ///< the handset
  std::string recipient;   ///< our number or short code
  std::string body;
  std::int64_t in_reply_to = 0;  ///< messages.id of the message it answers; 0 when unknown
  std::string action;            ///< "", "opted_out", "opted_in"
  std::int64_t received_at_ms = 0;
  std::int64_t stored_at_ms = 0;
};

/// The key that makes a repeated delivery of one inbound message a duplicate: the notifier and
/// the provider's id when there is one, else the notifier, both numbers, the time received and
/// the text (an SMSC that repeats a deliver_sm repeats all of them).
std::string inboundDedupKey(const plugin::InboundMessage& m, const std::string& notifier);

/// The `received_messages` table over the store's session. Borrows the store, which must outlive
/// it; same threading rule as the store. Throws StateError on database failures.
class ReceivedMessages {
 public:
  explicit ReceivedMessages(StateStore& store) : store_(store) {}

  /// Stores `row` (its dedup_key must be set); returns the new id, or nullopt when a message
  /// with that key was stored before (nothing changes then).
  std::optional<std::int64_t> store(const ReceivedMessage& row);
  /// The `messages.id` the reply answers: the message `notifier` sent with provider id
  /// `provider_in_reply_to` when given and known, else the latest message sent to `originator`
  /// at or after `since_ms`; 0 when none.
  std::int64_t findAnswered(const std::string& notifier, const std::string& provider_in_reply_to,
                            const std::string& originator, std::int64_t since_ms);
  void setAction(std::int64_t id, const std::string& action);
  /// The last `limit` received messages (of `originator` when not empty), newest first.
  std::vector<ReceivedMessage> list(const std::string& originator, int limit);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
