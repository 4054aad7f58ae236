// SPDX-License-Identifier: Apache-2.0
// [messaging.webhooks]: token (a secret: token_env / token_file) and public_url.
#include <string_view>

#include "config/table_readers.hpp"
#include "config/webhook_schema.hpp"
#include "config/webhook_settings.hpp"
#include "values/http_url.hpp"

namespace mobisync::config {

namespace {

bool urlSafe(std::string_view token) {
  for (const char ch : token) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void readWebhookTable(const ConfigDocument& doc, AppConfig& cfg) {
  const toml::table* messaging = doc.single("messaging");
  const toml::node* node = messaging != nullptr ? messaging->get("webhooks") : nullptr;
  if (node == nullptr) return;
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    doc.c.error(node->source(), "messaging.webhooks", "expected a table");
    return;
  }
  plugin::ConfigValues v;
  doc.c.validate(*t, "messaging.webhooks", kWebhookKeys, v);
  WebhookSettings& w = cfg.webhooks;
  w.token = v.string("token");
  w.public_url = v.string("public_url");
  while (!w.public_url.empty() && w.public_url.back() == '/') w.public_url.pop_back();
  if (!w.token.empty() && (w.token.size() < kMinWebhookTokenBytes || !urlSafe(w.token))) {
    // Says what is wrong, never what the token is.
    doc.c.error(keyPosition(t, "token"), "messaging.webhooks.token",
                "the token must be at least " + std::to_string(kMinWebhookTokenBytes) +
                    " characters of A-Z a-z 0-9 - _ . ~ (it is a path segment)");
  }
  if (!w.public_url.empty()) {
    if (std::string why = values::httpUrlProblem(w.public_url); !why.empty()) {
      doc.c.error(keyPosition(t, "public_url"), "messaging.webhooks.public_url", why);
    } else if (w.public_url.rfind("https://", 0) != 0) {
      doc.c.warn(keyPosition(t, "public_url"), "messaging.webhooks.public_url",
                 "not https: the provider asks for an https URL, and the token would travel in "
                 "clear");
    }
  }
}

}  // namespace mobisync::config
