// SPDX-License-Identifier: Apache-2.0
// Recording receipts and replies with their metrics: the daemon's messaging service calls these
// for what its notifiers collect, the webhook routes for what the provider posts, so both count
// the same way (metrics/catalog.hpp, mobisync_messages_total and friends).
#pragma once

#include <cstdint>
#include <string>

#include "mobisync/plugin/plugin.hpp"
#include "notify/inbound_handler.hpp"
#include "state/message_log.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// Records `receipt` for a message of `notifier` (empty: any notifier) through
/// state::MessageLog::recordReceipt with `origin` ("smpp", "webhook"). When it moves the message
/// to a final status, mobisync_messages_total{status} counts it once and the receipt latency is
/// observed; a repeat counts nothing. An unknown id is logged and counted (unmatched). Throws
/// StateError like the log.
state::ReceiptMatch recordReceiptCounted(state::StateStore& store, const std::string& notifier,
                                         const plugin::Receipt& receipt,
                                         const std::string& origin, std::int64_t now_ms);

/// Counts what InboundHandler::handle() did with one message of `notifier`: a stored message,
/// an opt-out by reply.
void countInbound(const std::string& notifier, const InboundResult& result);

/// Adds `by` to mobisync_messages_total{notifier,status} (nothing when `by` is 0). OutboxDrain
/// counts its outcomes with it, the messaging service new queued rows and expired receipts
/// (unknown).
void countMessages(const std::string& notifier, const char* status, std::int64_t by);

}  // namespace mobisync::notify
