// SPDX-License-Identifier: Apache-2.0
// WebhookReceiver: the route check first (404 without parsing anything), then the body.
#include "notify/webhook_receiver.hpp"

#include <exception>

#include <Poco/Logger.h>

#include "mobisync/text.hpp"
#include "values/constant_time.hpp"

namespace mobisync::notify {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.webhooks"); }

using Reply = metrics::MetricsServer::Reply;

Reply json(int status, std::string_view message) {
  // `message` is ours or an excerpt already: escape what JSON needs.
  std::string out = "{\"status\":" + std::to_string(status) + ",\"message\":\"";
  for (const char ch : message) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += static_cast<unsigned char>(ch) < 0x20 ? ' ' : ch;
  }
  out += "\"}\n";
  return Reply{status, "application/json", out};
}

}  // namespace

WebhookReceiver::WebhookReceiver(std::string token, WebhookSinks sinks)
    : token_(std::move(token)), sinks_(std::move(sinks)) {}

std::string WebhookReceiver::maskedPath(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix) return text::excerpt(path, 80);
  const std::string_view rest = path.substr(kPrefix.size());
  const auto slash = rest.find('/');
  const std::string_view tail = slash == std::string_view::npos ? "" : rest.substr(slash);
  return std::string(kPrefix) + "***" + text::excerpt(tail, 40);
}

Reply WebhookReceiver::handle(std::string_view path, std::string_view body) const {
  std::string_view token;
  std::string_view kind;
  if (path.substr(0, kPrefix.size()) == kPrefix) {
    const std::string_view rest = path.substr(kPrefix.size());
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
      token = rest.substr(0, slash);
      kind = rest.substr(slash + 1);
    }
  }
  // Compared whatever the kind, so a wrong kind and a wrong token take the same path.
  const bool token_ok = values::constantTimeEquals(token, token_);
  if (!token_ok || (kind != "receipt" && kind != "incoming")) {
    log().warning("webhook: POST %s refused (404): %s", maskedPath(path),
                  std::string(token_ok ? "unknown path" : "unknown token or path"));
    return json(404, "not found");
  }
  try {
    if (kind == "receipt") {
      auto receipt = parseWebhookReceipt(body);
      if (!receipt) {
        log().warning("webhook: receipt refused (400): %s", receipt.error().message());
        return json(400, receipt.error().message());
      }
      sinks_.receipt(*receipt);
    } else {
      auto message = parseWebhookIncoming(body);
      if (!message) {
        log().warning("webhook: incoming message refused (400): %s", message.error().message());
        return json(400, message.error().message());
      }
      sinks_.incoming(*message);
    }
  } catch (const std::exception& e) {
    log().error("webhook: %s not stored (503, the provider posts it again): %s",
                std::string(kind), std::string(e.what()));
    return json(503, "not stored; try again later");
  }
  return json(200, "ok");
}

}  // namespace mobisync::notify
