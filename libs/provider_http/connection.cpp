// SPDX-License-Identifier: Apache-2.0
// Connection: one keep-alive HTTP(S) connection to one provider origin, one attempt per exchange.
#include "provider_http/connection.hpp"

#include <istream>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include "mobisync/build_info.hpp"
#include "provider_http/call_deadline.hpp"
#include "provider_http/deadline_session.hpp"

namespace mobisync::provider_http {
namespace {

// A connection idle this long is re-opened rather than reused: providers and proxies close idle
// connections (5 s is a common default), and writing into a half-closed one is the race we
// want to avoid.
constexpr long kKeepAliveIdleSeconds = 4;

// Counts connections and turns Nagle off on each: a delayed ACK would otherwise stall every
// keep-alive exchange. connect() is the hook Poco calls on every (re)connect.
template <class Base>
class TrackedSession final : public DeadlineSession<Base> {
 public:
  template <class... Args>
  explicit TrackedSession(int& connects, Args&&... args)
      : DeadlineSession<Base>(std::forward<Args>(args)...), connects_(connects) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    DeadlineSession<Base>::connect(address);
    ++connects_;
    try {
      this->socket().setNoDelay(true);
    } catch (const Poco::Exception&) {
      // Only a latency optimisation; the connection works without it.
    }
  }

 private:
  int& connects_;
};

bool isCertificateFailure(const Poco::Net::SSLException& e) {
  return dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) != nullptr ||
         dynamic_cast<const Poco::Net::InvalidCertificateException*>(&e) != nullptr ||
         e.displayText().find("certificate") != std::string::npos;
}

}  // namespace

std::string originOf(const Poco::URI& uri) {
  const std::string& host = uri.getHost();
  const bool ipv6 = host.find(':') != std::string::npos;
  return Poco::toLower(uri.getScheme()) + "://" + (ipv6 ? "[" + host + "]" : host) + ":" +
         std::to_string(uri.getPort());
}

Connection::Connection(const std::string& base_url, ConnectionOptions options)
    : options_(std::move(options)) {
  const Poco::URI uri(base_url);
  const std::string scheme = Poco::toLower(uri.getScheme());
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    throw Poco::InvalidArgumentException(base_url + " is not an http:// or https:// URL");
  }
  origin_ = originOf(uri);
  // Poco decodes the path; the request line needs it encoded as the URL spelled it.
  Poco::URI::encode(uri.getPath(), "?#", base_path_);
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
  if (scheme == "https") {
    if (options_.tls.isNull()) throw Poco::InvalidArgumentException("https needs a TLS context");
    auto secure = std::make_unique<TrackedSession<Poco::Net::HTTPSClientSession>>(
        connects_, uri.getHost(), uri.getPort(), options_.tls);
    deadlined_ = secure.get();
    session_ = std::move(secure);
  } else {
    auto plain = std::make_unique<TrackedSession<Poco::Net::HTTPClientSession>>(
        connects_, uri.getHost(), uri.getPort());
    deadlined_ = plain.get();
    session_ = std::move(plain);
  }
  session_->setKeepAlive(true);
  session_->setKeepAliveTimeout(Poco::Timespan(kKeepAliveIdleSeconds, 0));
  session_->setTimeout(
      Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options_.timeout.count()) * 1000));
}

Connection::~Connection() = default;

std::string Connection::requestTarget(const std::string& target) const {
  // Built by appending: GCC 12 at -O3 warns (-Wrestrict, a false positive) on insert(0, "/").
  const bool root = base_path_.empty() && (target.empty() || target.front() == '?');
  std::string path;
  path.reserve(1 + base_path_.size() + target.size());
  if (root) path += '/';
  path += base_path_;
  path += target;
  return path;
}

std::string Connection::describe(const std::string& target) const {
  const std::string path = requestTarget(target);
  return origin_ + path.substr(0, path.find('?'));
}

Exchange Connection::exchange(const Request& request) {
  // The timeout bounds the whole exchange, the silent re-send included: a provider that
  // trickles its answer a byte at a time would otherwise hold the caller (and the run) forever.
  CallDeadline deadline(options_.timeout);
  const DeadlineScope armed(*deadlined_, deadline);
  bool stale_reuse = false;
  Exchange e = attempt(request, deadline, stale_reuse);
  if (stale_reuse && !deadline.passed()) {
    // The peer closed an idle keep-alive connection and we only found out by writing to it;
    // that is not the provider failing, so send again at once on a fresh connection.
    bool again = false;
    e = attempt(request, deadline, again);
    e.resends = 1;
  }
  return e;
}

Exchange Connection::attempt(const Request& request, CallDeadline& deadline, bool& stale_reuse) {
  Exchange e = roundTrip(request, deadline, stale_reuse);
  if (deadline.fired()) {
    // The deadline shut the socket down: an end of stream read after that is not the end of an
    // answer (a body without Content-Length ends exactly so), whatever the status said.
    stale_reuse = false;
    return failed(request, deadline.timeoutMessage());
  }
  return e;
}

Exchange Connection::failed(const Request& request, const std::string& why) {
  session_->reset();  // whatever state the connection is in, do not reuse it
  exchanged_on_connection_ = false;
  Exchange e;
  e.failure = (request.what.empty() ? request.method + " " + describe(request.target)
                                    : request.what) +
              ": " + why;
  return e;
}

Exchange Connection::roundTrip(const Request& request, const CallDeadline& deadline,
                               bool& stale_reuse) {
  const int connects_before = connects_;
  const bool reusing = session_->connected() && exchanged_on_connection_;
  bool sent = false;
  bool got_response = false;
  // Whether a failure before any answer means the peer had closed the reused connection: then
  // sending again on a fresh one is safe (see Request::idempotent).
  const auto stale = [&](bool peer_read_nothing) {
    return reusing && !got_response && connects_ == connects_before &&
           (request.idempotent || !sent || peer_read_nothing);
  };
  try {
    Poco::Net::HTTPRequest req(request.method, requestTarget(request.target),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    req.set("Accept", request.accept);
    req.set("User-Agent", std::string("mobisync/") + kSdkVersion);
    if (!request.bearer.empty()) req.set("Authorization", "Bearer " + request.bearer);
    if (!request.content_type.empty()) {
      req.setContentType(request.content_type);
      req.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    std::ostream& out = session_->sendRequest(req);
    if (!request.content_type.empty()) out << request.body;
    sent = true;
    if (connects_ != connects_before) exchanged_on_connection_ = false;

    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    got_response = true;
    Exchange e;
    e.status = static_cast<int>(response.getStatus());
    e.reason = response.getReason();
    e.retry_after = response.get("Retry-After", "");
    e.body.reserve(1024);
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      e.body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (e.body.size() > options_.max_body) {
        Exchange big = failed(request, "response body larger than " +
                                           std::to_string(options_.max_body) + " bytes");
        big.too_large = true;
        return big;
      }
    }
    if (in.bad()) {
      // The stream swallows a failed read (a timeout, a reset) and just ends; without
      // Content-Length that would pass for the end of the body.
      const Poco::Exception* cause = session_->networkException();
      const bool late =
          deadline.passed() || dynamic_cast<const Poco::TimeoutException*>(cause) != nullptr;
      Exchange cut = failed(request, late ? deadline.timeoutMessage()
                                          : "response body cut short: " +
                                                (cause != nullptr ? cause->displayText()
                                                                  : "read failed"));
      cut.status = e.status;
      return cut;
    }
    if (response.hasContentLength() &&
        static_cast<std::int64_t>(e.body.size()) < response.getContentLength64()) {
      Exchange cut = failed(request, "response body truncated (" + std::to_string(e.body.size()) +
                                         " of " + std::to_string(response.getContentLength64()) +
                                         " bytes)");
      cut.status = e.status;
      return cut;
    }
    e.answered = true;
    exchanged_on_connection_ = response.getKeepAlive();
    if (!exchanged_on_connection_) session_->reset();
    return e;
  } catch (const Poco::TimeoutException&) {
    return failed(request, deadline.timeoutMessage());
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return failed(request, "connection refused");
  } catch (const Poco::Net::SSLException& e) {
    if (isCertificateFailure(e)) {
      Exchange x = failed(request, "the server's TLS certificate was refused: " + e.displayText());
      x.certificate_refused = true;
      return x;
    }
    stale_reuse = stale(false);
    return failed(request, "TLS error: " + e.displayText());
  } catch (const Poco::Net::NoMessageException&) {
    // The peer closed a reused connection without answering: it had timed it out before our
    // request arrived, so nothing was processed.
    stale_reuse = stale(true);
    return failed(request, "connection closed without an answer");
  } catch (const Poco::Exception& e) {
    // A reset or a broken pipe on a connection that already carried an exchange is the classic
    // stale keep-alive race, not a provider failure.
    stale_reuse = stale(false);
    return failed(request, e.displayText());
  } catch (const std::exception& e) {
    return failed(request, e.what());
  }
}

}  // namespace mobisync::provider_http
