// SPDX-License-Identifier: Apache-2.0
// WebhookSettings: `[messaging.webhooks]`: the secret token in the path of the daemon's receipt
// and incoming-message webhooks, and the public https URL the provider reaches them at.
#pragma once

#include <cstddef>
#include <string>

namespace mobisync::config {

struct AppConfig;
struct ConfigDocument;

struct WebhookSettings {
  /// The secret path segment: /webhooks/<token>/receipt. Never logged, never in an error.
  /// Empty: the daemon serves no webhook.
  std::string token;
  /// The base the provider posts to ("https://sms.example.com"), behind a TLS reverse proxy
  /// that forwards to [metrics] listen; used by `mobisync webhooks register`.
  std::string public_url;

  bool enabled() const { return !token.empty(); }
};

/// The shortest token accepted: a guessable path would make the webhook anyone's to write.
inline constexpr std::size_t kMinWebhookTokenBytes = 16;

/// Reads [messaging.webhooks] (optional) into cfg.webhooks, reporting problems through doc's
/// checker without quoting the token.
void readWebhookTable(const ConfigDocument& doc, AppConfig& cfg);

}  // namespace mobisync::config
