// SPDX-License-Identifier: Apache-2.0
// ProxyClient: one keep-alive connection to the contacts proxy API, one HTTP attempt per call.
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>

#include "remote/provider_call.hpp"
#include "remote/proxy_protocol.hpp"

namespace mobisync::provider_http {
class Connection;
}  // namespace mobisync::provider_http

namespace mobisync::remote {

/// The TLS client context for `settings` (provider_http::makeTlsContext: peers and host names
/// verified, the system CAs plus `ca_file`, TLS 1.2 or later), or no verification at all when
/// `verify_tls` is false, which is logged as a warning once per process.
/// Throws Poco::Exception with a readable message ("provider: cannot set up TLS with ca_file").
Poco::Net::Context::Ptr makeTlsContext(const config::ProviderSettings& settings);

/// One connection to the proxy API, kept alive between calls and re-opened when the peer closed
/// it. Owned by one worker; not thread-safe.
class ProxyClient {
 public:
  /// `tls` is used for https base URLs; when null, one is made with makeTlsContext.
  /// Throws Poco::Exception when `settings.base_url` is not an http(s) URL.
  explicit ProxyClient(const config::ProviderSettings& settings, Poco::Net::Context::Ptr tls = nullptr);
  ~ProxyClient();
  ProxyClient(const ProxyClient&) = delete;
  ProxyClient& operator=(const ProxyClient&) = delete;

  /// Makes ONE HTTP attempt (plus one silent re-send when a reused keep-alive connection turns
  /// out to have been closed by the peer) and classifies it. settings.timeout bounds the whole
  /// call (connect, TLS handshake, request, headers and body, the re-send included): past it the
  /// attempt is a Retry "no complete answer within N ms", never a body cut short. Never throws.
  Attempt call(const ProviderCall& call);

  /// The base URL and the request target of `call`, with the password redacted: for messages.
  std::string describe(const ProviderCall& call) const;
  /// scheme://host:port of the provider, for messages (never a path, user or password).
  const std::string& origin() const { return origin_; }

  /// How many TCP (or TLS) connections this client opened so far: keep-alive should keep this
  /// near one.
  int connectionsOpened() const;

 private:
  std::string where(const ProviderCall& call) const;  // the call's URL without query

  config::ProviderSettings settings_;
  std::string base_path_;
  std::string origin_;  // scheme://host:port, for messages
  std::unique_ptr<provider_http::Connection> connection_;
};

}  // namespace mobisync::remote
