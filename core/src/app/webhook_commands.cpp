// SPDX-License-Identifier: Apache-2.0
// `mobisync webhooks register`: tells the provider where the daemon's receipt and incoming-
// message webhooks are (POST /webhooks/receipt and /webhooks/incoming {"url": ...} with the JSON
// API's Bearer key). The URLs hold the webhook token: printed and reported with it masked.
#include <chrono>
#include <sstream>

#include <Poco/JSON/Object.h>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "mobisync/text.hpp"
#include "provider_http/connection.hpp"
#include "provider_http/tls_context.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace {

constexpr const char* kUsage = "usage: mobisync webhooks register [--via NOTIFIER]";

/// The http [[notifier]] whose JSON API key registers the webhooks: --via, else the first http
/// notifier with an api_key.
const config::NotifierConfig& jsonNotifier(const config::AppConfig& cfg, const std::string& via) {
  for (const auto& n : cfg.notifiers) {
    if (!via.empty() && n.name != via) continue;
    if (n.plugin == "http" && !n.values.string("api_key").empty()) return n;
    if (!via.empty()) break;
  }
  throw CommandError{sync::kExitConfig,
                     via.empty() ? "webhooks register: no http [[notifier]] with an api_key"
                                 : "webhooks register: [[notifier]] \"" + text::excerpt(via) +
                                       "\" is not an http notifier with an api_key"};
}

/// `text` with every occurrence of `secret` shown as "***".
std::string masked(std::string text, const std::string& secret) {
  for (auto at = text.find(secret); !secret.empty() && at != std::string::npos;
       at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string urlBody(const std::string& url) {
  Poco::JSON::Object o;
  o.set("url", url);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

int registerWebhooks(const Loaded& l, const CliOptions& o, std::ostream& out) {
  const config::WebhookSettings& w = l.cfg.webhooks;
  if (!w.enabled()) {
    throw CommandError{sync::kExitConfig,
                       "webhooks register: [messaging.webhooks] has no token (token_env or "
                       "token_file)"};
  }
  if (w.public_url.empty()) {
    throw CommandError{sync::kExitConfig,
                       "webhooks register: [messaging.webhooks] public_url is not set (the "
                       "https address the provider reaches the daemon at)"};
  }
  const config::NotifierConfig& n = jsonNotifier(l.cfg, o.via);
  std::string base = n.values.string("json_base_url", "https://api.mobivatebulksms.com");
  while (!base.empty() && base.back() == '/') base.pop_back();
  provider_http::ConnectionOptions options;
  options.timeout = std::chrono::milliseconds(n.values.integer("timeout_ms", 10000));
  if (base.rfind("https:", 0) == 0) {
    options.tls = provider_http::makeTlsContext(
        {n.values.string("ca_file"), n.values.boolean("verify_tls", true), "webhooks register: "});
  }
  provider_http::Connection connection(base, options);
  for (const std::string kind : {"receipt", "incoming"}) {
    const std::string url = w.public_url + "/webhooks/" + w.token + "/" + kind;
    provider_http::Request request;
    request.target = "/webhooks/" + kind;  // below the base URL's path (Request::target)
    request.content_type = "application/json";
    request.body = urlBody(url);
    request.bearer = n.values.string("api_key");
    request.idempotent = true;  // registering the same URL twice changes nothing
    const auto x = connection.exchange(request);
    const std::string where = "POST " + connection.describe(request.target);
    if (!x.answered) {
      throw CommandError{sync::kExitUnavailable, masked(x.failure, w.token)};
    }
    if (x.status != 200) {
      // The answer may echo the URL: the token is masked out of it.
      throw CommandError{x.status == 401 || x.status == 403 ? sync::kExitNoPerm
                                                            : sync::kExitProtocol,
                         where + " answered " + std::to_string(x.status) + " " + x.reason +
                             ": " + text::excerpt(masked(x.body, w.token))};
    }
    out << kind << ": " << masked(url, w.token) << " registered with " << connection.origin()
        << " (notifier " << n.name << ")\n";
  }
  return sync::kExitOk;
}

}  // namespace

int runWebhooks(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    if (o.args.size() != 2 || o.args[1] != "register") {
      throw CommandError{sync::kExitUsage, kUsage};
    }
    const Loaded l = load(o);
    return registerWebhooks(l, o, out);
  });
}

}  // namespace mobisync::app
