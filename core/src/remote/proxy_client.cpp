// SPDX-License-Identifier: Apache-2.0
// ProxyClient: one keep-alive connection to the contacts proxy API, one HTTP attempt per call.
#include "remote/proxy_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <atomic>

#include "provider_http/connection.hpp"
#include "provider_http/response_limits.hpp"
#include "provider_http/tls_context.hpp"

namespace mobisync::remote {
namespace {

Poco::Logger& logger() {
  static Poco::Logger& l = Poco::Logger::get("mobisync.remote");
  return l;
}

const char* opOf(const ProviderCall& call) {
  return call.kind == ProviderCall::Kind::Create ? "create" : "remove";
}

// An exchange that brought no complete answer, as an attempt: retried, except what no retry
// can fix (a refused certificate, something that is not the proxy API answering).
Attempt unanswered(const provider_http::Exchange& x) {
  Attempt a;
  a.outcome = Attempt::Outcome::Retry;
  a.http_status = x.status;
  a.message = x.failure;
  if (x.too_large) {
    // Not the proxy API talking (its answers are a few hundred bytes): stop the run rather
    // than refuse every number.
    a.outcome = Attempt::Outcome::Drop;
    a.http_status = 0;
    a.message += ": not the contacts proxy API";
    a.not_the_api = true;
    a.stop_run = true;
  } else if (x.certificate_refused) {
    a.outcome = Attempt::Outcome::Drop;
    a.stop_run = true;
  }
  return a;
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const config::ProviderSettings& settings) {
  if (!settings.verify_tls) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      logger().warning(
          "provider: verify_tls is false: the provider's TLS certificate is NOT verified, so "
          "anyone on the network path can read the account password");
    }
  }
  return provider_http::makeTlsContext({settings.ca_file, settings.verify_tls, "provider: "});
}

ProxyClient::ProxyClient(const config::ProviderSettings& settings, Poco::Net::Context::Ptr tls)
    : settings_(settings) {
  Poco::URI base;
  try {
    base = Poco::URI(settings.base_url);
  } catch (const Poco::Exception& e) {
    // Poco quotes the whole URL, and someone may have put the password in it.
    throw Poco::InvalidArgumentException("provider: base_url " + provider_http::redactUrl(settings.base_url) +
                                         " is not a valid URL: " +
                                         provider_http::scrubSecret(e.message(), settings.password));
  }
  const std::string scheme = Poco::toLower(base.getScheme());
  if ((scheme != "http" && scheme != "https") || base.getHost().empty()) {
    throw Poco::InvalidArgumentException("provider: base_url " + provider_http::redactUrl(settings.base_url) +
                                         " is not an http:// or https:// URL");
  }
  base_path_ = base.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') {
    base_path_.pop_back();
  }
  origin_ = provider_http::originOf(base);
  if (scheme == "https" && !tls) {
    tls = makeTlsContext(settings);
  }
  // The connection gets the origin only: buildCallTarget puts the base path in the target.
  connection_ = std::make_unique<provider_http::Connection>(
      origin_, provider_http::ConnectionOptions{settings.timeout,
                                                provider_http::kMaxProxyApiBody, tls});
}

ProxyClient::~ProxyClient() = default;

int ProxyClient::connectionsOpened() const { return connection_->connectionsOpened(); }

std::string ProxyClient::describe(const ProviderCall& call) const {
  return origin_ + provider_http::redactUrl(buildCallTarget(base_path_, settings_, call));
}

std::string ProxyClient::where(const ProviderCall& call) const {
  return origin_ + base_path_ +
         (call.kind == ProviderCall::Kind::Create ? settings_.create_path : settings_.delete_path);
}

Attempt ProxyClient::call(const ProviderCall& call) {
  provider_http::Request request;
  request.method = "GET";
  request.target = buildCallTarget(base_path_, settings_, call);
  request.idempotent = true;  // creates and removes set state; sending one twice is harmless
  request.what = std::string(opOf(call)) + " via GET " + where(call);
  const provider_http::Exchange x = connection_->exchange(request);
  if (x.resends > 0) {
    logger().debug("provider: keep-alive connection to " + origin_ +
                   " was closed by the peer; reconnecting");
  }
  Attempt a = x.answered ? classifyResponse(x.status, x.reason, x.body, x.retry_after,
                                            call.applications)
                         : unanswered(x);
  a.resends = x.resends;
  a.message = provider_http::scrubSecret(a.message, settings_.password);
  for (auto& t : a.tokens) {
    if (!t.ok) {
      t.detail = provider_http::scrubSecret(t.detail, settings_.password);
    }
  }
  return a;
}

}  // namespace mobisync::remote
