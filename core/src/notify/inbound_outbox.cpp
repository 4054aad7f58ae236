// SPDX-License-Identifier: Apache-2.0
// outboxEnqueue(): the InboundHandler's messages (confirmations, inbound [[notify]] rules) go to
// the outbox like every other message, and the drain sends them.
#include <string_view>

#include "notify/inbound_handler.hpp"
#include "notify/outbox_drain.hpp"

namespace mobisync::notify {

// The drain sends a confirmation to a number that has just been suppressed, by this rule name.
static_assert(std::string_view(kConfirmationRule) == kOptoutConfirmationRule);

Enqueue outboxEnqueue(state::StateStore& store) {
  return [&store](const OutgoingMessage& m, std::int64_t now_ms) {
    QueuedMessage q;
    q.dedup_key = m.dedup_key;
    q.notifier = m.notifier;
    q.recipient = m.recipient;
    q.text = m.text;
    q.originator = m.originator;
    q.rule = m.rule;
    q.event = m.event;
    return enqueueMessage(store, q, now_ms) != 0;
  };
}

}  // namespace mobisync::notify
