// SPDX-License-Identifier: Apache-2.0
// Connection: one keep-alive HTTP(S) connection to one provider origin, one attempt per exchange.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <Poco/Net/Context.h>

namespace Poco {
class URI;
}
namespace Poco::Net {
class HTTPClientSession;
}  // namespace Poco::Net

namespace mobisync::provider_http {

class CallDeadline;
class Deadlined;

/// What to send.
struct Request {
  std::string method = "POST";
  /// Relative to the base URL, never holding its path: "/send/single" (below it), "?a=1" (a
  /// query on the base URL itself) or "" (the base URL). Connection puts the base URL's path in
  /// front, so with https://host/gw "/send/single" goes to /gw/send/single.
  std::string target;
  std::string accept = "application/json";
  std::string content_type;  ///< empty: no body
  std::string body;
  std::string bearer;        ///< secret; sent as "Authorization: Bearer ..." when not empty
  /// Sending it twice does no harm (a GET of the proxy API): a reused connection that fails
  /// before any answer is then sent again at once on a fresh one. Otherwise only when the peer
  /// provably read nothing (it failed before the request was out, or closed without answering).
  bool idempotent = false;
  /// Names the request in failure messages; empty: "<method> <describe(target)>".
  std::string what;
};

/// How one exchange ended: an answer (any status), or no answer and why.
struct Exchange {
  bool answered = false;
  /// The status; also set when the headers came but the body did not (0 when nothing came).
  int status = 0;
  std::string reason;
  std::string body;
  std::string retry_after;           ///< the Retry-After header, verbatim
  bool certificate_refused = false;  ///< the server's TLS certificate failed verification
  bool too_large = false;            ///< the body passed ConnectionOptions::max_body
  /// Why there is no answer ("POST https://h:443/send/single: connection refused"): timeout,
  /// refused, reset, TLS error, a body cut short. Never holds the request's body or headers.
  std::string failure;
  int resends = 0;  ///< requests sent again at once after a stale keep-alive connection
};

struct ConnectionOptions {
  /// Bounds the whole exchange: connect, TLS handshake, request, headers, body, any re-send.
  std::chrono::milliseconds timeout{10000};
  std::size_t max_body = 1 << 20;  ///< see response_limits.hpp
  Poco::Net::Context::Ptr tls;     ///< must be set for an https URL
};

/// A keep-alive connection to the origin of `base_url`, re-opened when the peer closed it or
/// after it idled a few seconds. Nagle is off: requests are small and latency-bound. Owned by
/// one thread at a time; not thread-safe.
/// "scheme://host:port" of `uri`, the scheme lower case and an IPv6 literal in brackets
/// (RFC 3986 3.2.2): Poco's getHost() drops them, and "http://::1:8080" is no URL.
std::string originOf(const Poco::URI& uri);

class Connection {
 public:
  /// Throws Poco::Exception for a URL that is not http(s), or https without a TLS context.
  Connection(const std::string& base_url, ConnectionOptions options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// One attempt (plus one silent re-send when a reused keep-alive connection turns out to have
  /// been closed by the peer, see Request::idempotent). The timeout bounds it all: past it the
  /// failure is "no complete answer within N ms", never an answer cut short. Never throws.
  Exchange exchange(const Request& request);

  /// "https://host:443/gw/path": where `target` goes (see Request::target), without its query,
  /// for messages.
  std::string describe(const std::string& target) const;
  /// "https://host:443": scheme, host and port; never a path, user or password.
  const std::string& origin() const { return origin_; }
  /// TCP (or TLS) connections opened so far: keep-alive should keep this near one.
  int connectionsOpened() const { return connects_; }

 private:
  Exchange attempt(const Request& request, CallDeadline& deadline, bool& stale_reuse);
  Exchange roundTrip(const Request& request, const CallDeadline& deadline, bool& stale_reuse);
  Exchange failed(const Request& request, const std::string& why);
  /// The request line's target: the base path, then `target`; "/" in front of a bare query.
  std::string requestTarget(const std::string& target) const;

  ConnectionOptions options_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  Deadlined* deadlined_ = nullptr;  // session_, seen as a DeadlineSession
  std::string origin_;
  std::string base_path_;  // percent-encoded, no trailing '/'; "" for the root
  int connects_ = 0;
  bool exchanged_on_connection_ = false;  // the open connection has carried a full exchange
};

}  // namespace mobisync::provider_http
