// SPDX-License-Identifier: Apache-2.0
// The provider's webhook bodies (JSON API "Delivery Receipt Notification" and "Incoming Message
// Notification", ../shared/mobivate/endpoints.md) read into what the state records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"

namespace mobisync::notify {

/// One delivery receipt: the provider posts one on every status change of a message.
struct WebhookReceipt {
  std::string delivery_message_id;  ///< the id the send returned (required)
  std::string batch_id;
  std::string client_reference;     ///< our `reference`
  std::string status;               ///< the provider's text, e.g. "Delivered"
  std::int64_t status_code = 0;
  std::int64_t parts = 0;
  std::int64_t created_ms = 0;      ///< when the provider received the receipt; 0 when unknown
  std::string hlr;                  ///< the `hlr` object as compact JSON; empty when absent

  /// The SMPP receipt state the status means (state::MessageLog::recordReceipt's vocabulary):
  /// DELIVRD, UNDELIV, REJECTD, EXPIRED, DELETED, ENROUTE (sent, pending, ...) or UNKNOWN.
  std::string receiptState() const;
  /// The history's detail: the provider's status text and code, e.g. "Delivered (code 1)".
  std::string detail() const;
};

/// Reads a receipt body. Rejected (400) when it is not a JSON object or has no
/// deliveryMessageId; the message quotes at most a short excerpt of the body.
Result<WebhookReceipt> parseWebhookReceipt(std::string_view body);

/// Reads an incoming-message body (`id`, `originator`, `recipient`, `body`, `created`,
/// `inReplyTo`); `originator` is required. `from` loses a leading '+'.
Result<plugin::InboundMessage> parseWebhookIncoming(std::string_view body);

/// A provider time ("2024-05-01T10:00:00Z", "2024-05-01 10:00:00", epoch seconds or
/// milliseconds) in ms since the epoch, UTC when no zone is given; 0 when it cannot be read.
std::int64_t parseProviderTime(std::string_view text);

}  // namespace mobisync::notify
