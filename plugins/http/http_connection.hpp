// SPDX-License-Identifier: Apache-2.0
// HttpConnection: one keep-alive HTTP(S) connection to one origin, one attempt per exchange.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>

namespace Poco::Net {
class HTTPClientSession;
}  // namespace Poco::Net

namespace mobisync::provider_http {
class CallDeadline;
class Deadlined;
}  // namespace mobisync::provider_http

namespace mobisync::plugins::http {

/// What to send. `target` is the path (and query) below the base URL's path.
struct HttpRequestSpec {
  std::string method = "POST";
  std::string target;
  std::string content_type;  ///< empty: no body
  std::string body;
  std::string bearer;        ///< secret; sent as "Authorization: Bearer ..." when not empty
};

/// How one exchange ended: an answer (any status), or no answer and why.
struct HttpExchange {
  bool answered = false;
  int status = 0;
  std::string reason;
  std::string body;
  std::string retry_after;   ///< the Retry-After header, verbatim
  bool certificate_refused = false;  ///< the server's TLS certificate failed verification
  std::string failure;       ///< why there is no answer: timeout, refused, reset, TLS error
};

/// A keep-alive connection to the origin of `base_url`, re-opened when the peer closed it.
/// Owned by one notifier instance; not thread-safe.
class HttpConnection {
 public:
  /// `tls` must be set for an https URL. Throws Poco::Exception for a URL that is not http(s).
  HttpConnection(const std::string& base_url, Poco::Net::Context::Ptr tls,
                 std::chrono::milliseconds timeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// One attempt (plus one silent re-send when a reused keep-alive connection turns out to have
  /// been closed by the peer before it read anything). The timeout bounds the whole exchange
  /// (connect, TLS handshake, request, headers and body, the re-send included): past it the
  /// failure is "no complete answer within N ms", never an answer cut short. Never throws. No
  /// message it returns holds the request's body or headers.
  HttpExchange exchange(const HttpRequestSpec& request);

  /// "https://host:443/path": the base URL without query, for messages.
  std::string describe(const std::string& target) const;
  /// The base URL's path without a trailing '/'.
  const std::string& basePath() const { return base_path_; }

 private:
  HttpExchange attempt(const HttpRequestSpec& request, provider_http::CallDeadline& deadline,
                       bool& stale_reuse);
  HttpExchange roundTrip(const HttpRequestSpec& request,
                                const provider_http::CallDeadline& deadline, bool& stale_reuse);

  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  provider_http::Deadlined* deadlined_ = nullptr;  // session_, seen as a DeadlineSession
  std::string origin_;
  std::string base_path_;
  std::chrono::milliseconds timeout_;
  bool exchanged_on_connection_ = false;
};

}  // namespace mobisync::plugins::http
