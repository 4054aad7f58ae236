// SPDX-License-Identifier: Apache-2.0
// WebhookRoute: one state connection kept between posts (the listener serves one request at a
// time), dropped after a failure so the next post reconnects.
#include "daemon/webhook_route.hpp"

#include <chrono>
#include <filesystem>

#include <Poco/Logger.h>

#include "notify/inbound_handler.hpp"
#include "notify/message_metrics.hpp"
#include "state/state_error.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::daemon {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.webhooks"); }

using values::nowMs;

metrics::MetricsServer::Reply notFound() {
  return {404, "text/plain; charset=utf-8", "not found; try /metrics or /healthz\n"};
}

/// The notifier an incoming webhook message is taken to have come through: the first that uses
/// the provider's JSON API (the webhook is the JSON API's), for confirmations and rules.
std::string httpNotifierOf(const config::AppConfig& cfg) {
  for (const auto& n : cfg.notifiers) {
    if (n.plugin == "http") return n.name;
  }
  return {};
}

bool sameState(const config::AppConfig& a, const config::AppConfig& b) {
  return a.state_path == b.state_path && a.state_url == b.state_url &&
         a.state_password == b.state_password;
}

}  // namespace

WebhookRoute::~WebhookRoute() = default;

void WebhookRoute::configure(std::shared_ptr<const config::AppConfig> cfg) {
  std::lock_guard lock(mutex_);
  if (cfg_ && cfg && !sameState(*cfg_, *cfg)) store_.reset();
  cfg_ = std::move(cfg);
  receiver_.reset();
  if (!cfg_ || !cfg_->webhooks.enabled()) return;
  receiver_ = std::make_unique<notify::WebhookReceiver>(
      cfg_->webhooks.token,
      notify::WebhookSinks{[this](const notify::WebhookReceipt& r) { storeReceipt(r); },
                           [this](const plugin::InboundMessage& m) { storeIncoming(m); }});
}

metrics::MetricsServer::PostHandler WebhookRoute::handlerOf(std::shared_ptr<WebhookRoute> route) {
  return [route](std::string_view method, std::string_view path, std::string_view body) {
    return route->handle(method, path, body);
  };
}

metrics::MetricsServer::Reply WebhookRoute::handle(std::string_view method, std::string_view path,
                                                   std::string_view body) {
  std::lock_guard lock(mutex_);
  if (method != "POST" || !receiver_ ||
      path.substr(0, notify::WebhookReceiver::kPrefix.size()) !=
          notify::WebhookReceiver::kPrefix) {
    log().warning("webhook: %s %s refused (404): %s", std::string(method),
                  notify::WebhookReceiver::maskedPath(path),
                  std::string(receiver_ ? "unknown path" : "no [messaging.webhooks] token set"));
    return notFound();
  }
  return receiver_->handle(path, body);
}

state::StateStore& WebhookRoute::store() {
  if (!store_) {
    std::error_code ec;
    if (auto dir = std::filesystem::path(cfg_->state_path).parent_path(); !dir.empty()) {
      std::filesystem::create_directories(dir, ec);
    }
    store_ = std::make_unique<state::StateStore>(
        state::StateLocation{cfg_->state_path, cfg_->state_url, cfg_->state_password});
  }
  return *store_;
}

void WebhookRoute::storeReceipt(const notify::WebhookReceipt& r) {
  try {
    const std::int64_t now = nowMs();
    const plugin::Receipt receipt{r.delivery_message_id, r.receiptState(), r.detail(),
                                  r.created_ms != 0 ? r.created_ms : now};
    // Any notifier: the id is the provider's, whichever [[notifier]] sent it. An unknown id is
    // logged and counted there, and acknowledged here (posting it again would not help).
    const auto match = notify::recordReceiptCounted(store(), "", receipt, "webhook", now);
    if (match.matched) {
      log().debug("webhook: receipt %s for message %Ld: %s", r.detail(),
                  static_cast<long long>(match.id), match.status);
    }
  } catch (...) {
    store_.reset();  // reconnect on the next post
    throw;
  }
}

void WebhookRoute::storeIncoming(const plugin::InboundMessage& m) {
  try {
    // No subscriber here (the provider call would hold the listener's thread): an opt-out stays
    // unsynced until the messaging service's next InboundHandler::syncPending() pass. The
    // confirmation and rule messages are queued in the outbox, which the service drains.
    const std::string notifier = httpNotifierOf(*cfg_);
    notify::InboundHandler handler(*cfg_, store(), nullptr);
    notify::countInbound(notifier, handler.handle(m, notifier));
  } catch (...) {
    store_.reset();
    throw;
  }
}

}  // namespace mobisync::daemon
