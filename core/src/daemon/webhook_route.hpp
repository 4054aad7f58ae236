// SPDX-License-Identifier: Apache-2.0
// WebhookRoute: the POST handler of `mobisync run`'s HTTP listener. It serves the provider's
// webhooks (/webhooks/<token>/receipt and /incoming) of the config in force, storing receipts
// through state::MessageLog and incoming messages through notify::InboundHandler.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "config/app_config.hpp"
#include "metrics/metrics_server.hpp"
#include "notify/webhook_receiver.hpp"
#include "state/state_store.hpp"

namespace mobisync::daemon {

/// Thread-safe: configure() from the daemon's loop, handle() from the listener's thread.
class WebhookRoute {
 public:
  WebhookRoute() = default;
  ~WebhookRoute();
  WebhookRoute(const WebhookRoute&) = delete;
  WebhookRoute& operator=(const WebhookRoute&) = delete;

  /// Serves `cfg`'s [messaging.webhooks] from now on (nothing when it has no token). A change
  /// of state location closes the connection kept to the old one.
  void configure(std::shared_ptr<const config::AppConfig> cfg);

  metrics::MetricsServer::Reply handle(std::string_view method, std::string_view path,
                                       std::string_view body);

  /// A handler for metrics::MetricsServer that keeps `route` alive while the listener lives.
  static metrics::MetricsServer::PostHandler handlerOf(std::shared_ptr<WebhookRoute> route);

 private:
  void storeReceipt(const notify::WebhookReceipt& receipt);
  void storeIncoming(const plugin::InboundMessage& message);
  /// The state, opened on first use and after a failure. Under mutex_.
  state::StateStore& store();

  std::mutex mutex_;
  std::shared_ptr<const config::AppConfig> cfg_;
  std::unique_ptr<notify::WebhookReceiver> receiver_;
  std::unique_ptr<state::StateStore> store_;
};

}  // namespace mobisync::daemon
