// SPDX-License-Identifier: Apache-2.0
// HttpConnection: one keep-alive HTTP(S) connection to one origin, one attempt per exchange.
#include "http_connection.hpp"

#include <istream>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include "mobisync/build_info.hpp"
#include "provider_http/call_deadline.hpp"
#include "provider_http/deadline_session.hpp"

namespace mobisync::plugins::http {
namespace {

// A provider answer is at most a campaign of a few thousand recipients; far more is not the
// provider talking.
constexpr std::size_t kMaxBody = 16u << 20;

// A connection idle this long is re-opened rather than reused: providers and proxies close idle
// connections, and writing a message into a half-closed one is the race we want to avoid.
constexpr long kKeepAliveIdleSeconds = 4;

bool isCertificateFailure(const Poco::Net::SSLException& e) {
  if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::InvalidCertificateException*>(&e) != nullptr) {
    return true;
  }
  return e.displayText().find("certificate") != std::string::npos;
}

}  // namespace

HttpConnection::HttpConnection(const std::string& base_url, Poco::Net::Context::Ptr tls,
                               std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  const Poco::URI uri(base_url);
  const std::string scheme = Poco::toLower(uri.getScheme());
  if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
    throw Poco::InvalidArgumentException(base_url + " is not an http:// or https:// URL");
  }
  origin_ = scheme + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  base_path_ = uri.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
  if (scheme == "https") {
    if (tls.isNull()) throw Poco::InvalidArgumentException("https needs a TLS context");
    auto secure = std::make_unique<provider_http::DeadlineSession<Poco::Net::HTTPSClientSession>>(
        uri.getHost(), uri.getPort(), tls);
    deadlined_ = secure.get();
    session_ = std::move(secure);
  } else {
    auto plain = std::make_unique<provider_http::DeadlineSession<Poco::Net::HTTPClientSession>>(
        uri.getHost(), uri.getPort());
    deadlined_ = plain.get();
    session_ = std::move(plain);
  }
  session_->setKeepAlive(true);
  session_->setKeepAliveTimeout(Poco::Timespan(kKeepAliveIdleSeconds, 0));
  session_->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
}

HttpConnection::~HttpConnection() = default;

std::string HttpConnection::describe(const std::string& target) const {
  const std::size_t query = target.find('?');
  return origin_ + base_path_ + (query == std::string::npos ? target : target.substr(0, query));
}

HttpExchange HttpConnection::exchange(const HttpRequestSpec& request) {
  // timeout_ms bounds the whole exchange, the silent re-send included: a provider that trickles
  // its answer a byte at a time would otherwise hold the send (and the run) forever.
  provider_http::CallDeadline deadline(timeout_);
  const provider_http::DeadlineScope armed(*deadlined_, deadline);
  bool stale_reuse = false;
  HttpExchange e = attempt(request, deadline, stale_reuse);
  if (stale_reuse && !deadline.passed()) {
    bool again = false;
    e = attempt(request, deadline, again);
  }
  return e;
}

HttpExchange HttpConnection::attempt(const HttpRequestSpec& request,
                                     provider_http::CallDeadline& deadline, bool& stale_reuse) {
  HttpExchange e = roundTrip(request, deadline, stale_reuse);
  if (deadline.fired()) {
    // The deadline shut the socket down: an end of stream read after that is not the end of an
    // answer (a body without Content-Length ends exactly so), whatever the status said.
    stale_reuse = false;
    session_->reset();
    exchanged_on_connection_ = false;
    HttpExchange late;
    late.failure =
        request.method + " " + describe(request.target) + ": " + deadline.timeoutMessage();
    return late;
  }
  return e;
}

HttpExchange HttpConnection::roundTrip(const HttpRequestSpec& request,
                                              const provider_http::CallDeadline& deadline,
                                              bool& stale_reuse) {
  const bool reusing = session_->connected() && exchanged_on_connection_;
  bool sent = false;
  const auto failed = [&](const std::string& why) {
    session_->reset();  // whatever state the connection is in, do not reuse it
    exchanged_on_connection_ = false;
    HttpExchange e;
    e.failure = request.method + " " + describe(request.target) + ": " + why;
    return e;
  };
  try {
    Poco::Net::HTTPRequest req(request.method, base_path_ + request.target,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    req.set("Accept", "application/json, text/plain");
    req.set("User-Agent", std::string("mobisync/") + kSdkVersion);
    if (!request.bearer.empty()) req.set("Authorization", "Bearer " + request.bearer);
    if (!request.content_type.empty()) {
      req.setContentType(request.content_type);
      req.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    std::ostream& out = session_->sendRequest(req);
    if (!request.content_type.empty()) out << request.body;
    sent = true;

    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    HttpExchange e;
    e.answered = true;
    e.status = static_cast<int>(response.getStatus());
    e.reason = response.getReason();
    e.retry_after = response.get("Retry-After", "");
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      e.body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (e.body.size() > kMaxBody) {
        return failed("answer larger than " + std::to_string(kMaxBody) + " bytes");
      }
    }
    if (in.bad()) {
      // The stream swallows a failed read (a timeout, a reset) and just ends; without
      // Content-Length that would pass for the end of the answer.
      const Poco::Exception* cause = session_->networkException();
      const bool late =
          deadline.passed() || dynamic_cast<const Poco::TimeoutException*>(cause) != nullptr;
      return failed(late ? deadline.timeoutMessage()
                         : "answer cut short: " +
                               (cause != nullptr ? cause->displayText() : "read failed"));
    }
    if (response.hasContentLength() &&
        static_cast<std::int64_t>(e.body.size()) < response.getContentLength64()) {
      return failed("answer cut short (" + std::to_string(e.body.size()) + " of " +
                    std::to_string(response.getContentLength64()) + " bytes)");
    }
    exchanged_on_connection_ = response.getKeepAlive();
    if (!exchanged_on_connection_) session_->reset();
    return e;
  } catch (const Poco::TimeoutException&) {
    return failed(deadline.timeoutMessage());
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return failed("connection refused");
  } catch (const Poco::Net::SSLException& e) {
    if (isCertificateFailure(e)) {
      HttpExchange x = failed("the server's TLS certificate was refused: " + e.displayText());
      x.certificate_refused = true;
      return x;
    }
    stale_reuse = reusing && !sent;
    return failed("TLS error: " + e.displayText());
  } catch (const Poco::Net::NoMessageException&) {
    // The peer closed a reused connection without answering: it had timed it out before our
    // request arrived, so nothing was processed and sending again is safe.
    stale_reuse = reusing;
    return failed("connection closed without an answer");
  } catch (const Poco::Exception& e) {
    stale_reuse = reusing && !sent;
    return failed(e.displayText());
  } catch (const std::exception& e) {
    return failed(e.what());
  }
}

}  // namespace mobisync::plugins::http
