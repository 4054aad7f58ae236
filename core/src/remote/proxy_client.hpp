// SPDX-License-Identifier: Apache-2.0
// ProxyClient: one keep-alive connection to the contacts proxy API, one HTTP attempt per call.
#pragma once

#include <Poco/Net/Context.h>

#include <memory>
#include <string>

#include "remote/provider_call.hpp"
#include "remote/proxy_protocol.hpp"

namespace Poco::Net {
class HTTPClientSession;
}  // namespace Poco::Net

namespace mobisync::provider_http {
class CallDeadline;
}  // namespace mobisync::provider_http

namespace mobisync::remote {

/// Builds the TLS client context for `settings`: peer verification on (VERIFY_STRICT, so the
/// host name is checked even for loopback names, which Poco skips under RELAXED), the system CAs plus `ca_file`, hostname
/// verification, TLS 1.2 or later; or no verification at all when `verify_tls` is false (logged
/// as a warning once per process). Initialises NetSSL once per process and installs a
/// certificate handler that rejects, so no prompt or silent acceptance can happen.
/// Throws Poco::Exception with a readable message (e.g. an unreadable `ca_file`).
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
  Attempt attemptOnce(const std::string& target, const ProviderCall& call,
                      provider_http::CallDeadline& deadline, bool& stale_reuse);
  Attempt exchange(const std::string& target, const ProviderCall& call,
                   const provider_http::CallDeadline& deadline, bool& stale_reuse);
  std::string where(const ProviderCall& call) const;  // the call's URL without query

  config::ProviderSettings settings_;
  std::string base_path_;
  std::string origin_;  // scheme://host:port, for messages
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::string body_;  // reused between calls, so a call allocates little
  bool secure_ = false;
  bool exchanged_on_connection_ = false;  // the open connection has carried a full exchange
};

}  // namespace mobisync::remote
