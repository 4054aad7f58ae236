// SPDX-License-Identifier: Apache-2.0
// WebhookReceiver: the provider's POSTs to /webhooks/<token>/receipt and /webhooks/<token>/incoming,
// checked, parsed and handed to whatever stores them.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "metrics/metrics_server.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "notify/webhook_payloads.hpp"

namespace mobisync::notify {

/// Where parsed webhooks go. Each stores what it is given before returning and throws (any
/// std::exception) when it cannot: the provider then gets 503 and posts again.
struct WebhookSinks {
  std::function<void(const WebhookReceipt&)> receipt;
  std::function<void(const plugin::InboundMessage&)> incoming;
};

/// Answers one POST: 200 once stored; 404 for a wrong token or an unknown path (the log line
/// shows the path with its token segment masked, whether right or wrong); 400 for a body that
/// is not the expected JSON (a short excerpt, never the token); 503 when a sink throws.
/// The token is compared in constant time. Thread-safe if the sinks are.
class WebhookReceiver {
 public:
  static constexpr std::string_view kPrefix = "/webhooks/";

  WebhookReceiver(std::string token, WebhookSinks sinks);

  metrics::MetricsServer::Reply handle(std::string_view path, std::string_view body) const;

  /// `path` with the segment after /webhooks/ shown as "***", for logs and messages.
  static std::string maskedPath(std::string_view path);

 private:
  std::string token_;
  WebhookSinks sinks_;
};

}  // namespace mobisync::notify
