// SPDX-License-Identifier: Apache-2.0
// ProxyClient: one keep-alive connection to the contacts proxy API, one HTTP attempt per call.
#include "remote/proxy_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <mutex>

#include "mobisync/build_info.hpp"
#include "provider_http/call_deadline.hpp"
#include "provider_http/deadline_session.hpp"

namespace mobisync::remote {
namespace {

// A proxy answer is a few hundred bytes; anything far larger is not the proxy API talking.
constexpr std::size_t kMaxBody = 1 << 20;

Poco::Logger& logger() {
  static Poco::Logger& l = Poco::Logger::get("mobisync.remote");
  return l;
}

// Counts connections and turns Nagle off on each: requests are small and latency-bound, and a
// delayed ACK would otherwise stall every keep-alive exchange. Base is a DeadlineSession over
// HTTPClientSession or HTTPSClientSession; connect() is the hook both call on every (re)connect.
template <class Base>
class TrackedSession final : public provider_http::DeadlineSession<Base> {
 public:
  using provider_http::DeadlineSession<Base>::DeadlineSession;
  int connects() const { return connects_; }

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    provider_http::DeadlineSession<Base>::connect(address);
    ++connects_;
    try {
      this->socket().setNoDelay(true);
    } catch (const Poco::Exception&) {
      // Only a latency optimisation; the connection works without it.
    }
  }

 private:
  int connects_ = 0;
};

using PlainSession = TrackedSession<Poco::Net::HTTPClientSession>;
using SecureSession = TrackedSession<Poco::Net::HTTPSClientSession>;

int connectsOf(Poco::Net::HTTPClientSession& s, bool secure) {
  return secure ? static_cast<SecureSession&>(s).connects()
                : static_cast<PlainSession&>(s).connects();
}

provider_http::Deadlined& deadlinedOf(Poco::Net::HTTPClientSession& s, bool secure) {
  if (secure) {
    return static_cast<SecureSession&>(s);
  }
  return static_cast<PlainSession&>(s);
}

const char* opOf(const ProviderCall& call) {
  return call.kind == ProviderCall::Kind::Create ? "create" : "remove";
}

void initSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // Poco's default client handler (from the application config) is the console handler,
    // which would prompt a daemon on stdin. Rejecting is the only safe answer to a bad
    // certificate; an operator who wants otherwise sets verify_tls = false and is warned.
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

bool isCertificateFailure(const Poco::Net::SSLException& e) {
  if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::InvalidCertificateException*>(&e) != nullptr) {
    return true;
  }
  const std::string text = e.displayText();
  return text.find("certificate verify failed") != std::string::npos ||
         text.find("certificate") != std::string::npos;
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const config::ProviderSettings& settings) {
  initSslOnce();
  Poco::Net::Context::Params params;
  params.caLocation = settings.ca_file;
  params.loadDefaultCAs = true;
  params.verificationDepth = 9;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
  if (settings.verify_tls) {
    // On a client RELAXED already fails the handshake on a bad server certificate, but Poco
    // then skips the host name check for loopback names; STRICT checks the name everywhere.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  } else {
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      logger().warning(
          "provider: verify_tls is false: the provider's TLS certificate is NOT verified, so "
          "anyone on the network path can read the account password");
    }
  }
  Poco::Net::Context::Ptr ctx;
  try {
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw Poco::Net::SSLContextException(
        "provider: cannot set up TLS" +
        (settings.ca_file.empty() ? std::string() : " with ca_file " + settings.ca_file) + ": " +
        e.displayText());
  }
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // Hostname verification: the certificate must name the host we connected to.
  ctx->enableExtendedCertificateVerification(settings.verify_tls);
  return ctx;
}

ProxyClient::ProxyClient(const config::ProviderSettings& settings, Poco::Net::Context::Ptr tls)
    : settings_(settings) {
  Poco::URI base;
  try {
    base = Poco::URI(settings.base_url);
  } catch (const Poco::Exception& e) {
    // Poco quotes the whole URL, and someone may have put the password in it.
    throw Poco::InvalidArgumentException("provider: base_url " + redactUrl(settings.base_url) +
                                         " is not a valid URL: " +
                                         scrubSecret(e.message(), settings.password));
  }
  const std::string scheme = Poco::toLower(base.getScheme());
  if ((scheme != "http" && scheme != "https") || base.getHost().empty()) {
    throw Poco::InvalidArgumentException("provider: base_url " + redactUrl(settings.base_url) +
                                         " is not an http:// or https:// URL");
  }
  base_path_ = base.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') {
    base_path_.pop_back();
  }
  origin_ = scheme + "://" + base.getHost() + ":" + std::to_string(base.getPort());
  secure_ = scheme == "https";
  if (secure_) {
    if (!tls) {
      tls = makeTlsContext(settings);
    }
    session_ = std::make_unique<SecureSession>(base.getHost(), base.getPort(), tls);
  } else {
    session_ = std::make_unique<PlainSession>(base.getHost(), base.getPort());
  }
  session_->setKeepAlive(true);
  session_->setTimeout(Poco::Timespan(
      static_cast<Poco::Timespan::TimeDiff>(settings.timeout.count()) * 1000));
  body_.reserve(1024);
}

ProxyClient::~ProxyClient() = default;

int ProxyClient::connectionsOpened() const { return connectsOf(*session_, secure_); }

std::string ProxyClient::describe(const ProviderCall& call) const {
  return origin_ + redactUrl(buildCallTarget(base_path_, settings_, call));
}

Attempt ProxyClient::call(const ProviderCall& call) {
  const std::string target = buildCallTarget(base_path_, settings_, call);
  // timeout_ms bounds the whole call, the silent re-send included: a peer that trickles its
  // answer a byte at a time would otherwise hold the worker (and the run) forever.
  provider_http::CallDeadline deadline(settings_.timeout);
  const provider_http::DeadlineScope armed(deadlinedOf(*session_, secure_), deadline);
  bool stale_reuse = false;
  Attempt a = attemptOnce(target, call, deadline, stale_reuse);
  if (stale_reuse && !deadline.passed()) {
    // The peer closed an idle keep-alive connection and we only found out by writing to it;
    // that is not the provider failing, so send again at once on a fresh connection.
    logger().debug("provider: keep-alive connection to " + origin_ +
                   " was closed by the peer; reconnecting");
    bool again = false;
    a = attemptOnce(target, call, deadline, again);
    a.resends = 1;
  }
  a.message = scrubSecret(a.message, settings_.password);
  for (auto& t : a.tokens) {
    if (!t.ok) {
      t.detail = scrubSecret(t.detail, settings_.password);
    }
  }
  return a;
}

Attempt ProxyClient::attemptOnce(const std::string& target, const ProviderCall& call,
                                 provider_http::CallDeadline& deadline, bool& stale_reuse) {
  Attempt a = exchange(target, call, deadline, stale_reuse);
  if (deadline.fired()) {
    // The watchdog shut the socket down: what was read before (an end of stream that looks like
    // the end of a body without Content-Length, or a reset) is not the provider's answer.
    stale_reuse = false;
    session_->reset();
    exchanged_on_connection_ = false;
    Attempt late;
    late.outcome = Attempt::Outcome::Retry;
    late.message = std::string(opOf(call)) + " via GET " + where(call) + ": " +
                   deadline.timeoutMessage();
    return late;
  }
  return a;
}

std::string ProxyClient::where(const ProviderCall& call) const {
  return origin_ + base_path_ +
         (call.kind == ProviderCall::Kind::Create ? settings_.create_path : settings_.delete_path);
}

Attempt ProxyClient::exchange(const std::string& target, const ProviderCall& call,
                              const provider_http::CallDeadline& deadline, bool& stale_reuse) {
  const bool secure = secure_;
  const char* op = opOf(call);
  const int connects_before = connectsOf(*session_, secure);
  const bool reusing = session_->connected() && exchanged_on_connection_;
  bool got_response = false;

  const auto failed = [&](Attempt::Outcome outcome, const std::string& why) {
    session_->reset();  // whatever state the connection is in, do not reuse it
    exchanged_on_connection_ = false;
    Attempt a;
    a.outcome = outcome;
    a.message = std::string(op) + " via GET " + where(call) + ": " + why;
    return a;
  };

  try {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.set("Accept", "application/json");
    request.set("User-Agent", std::string("mobisync/") + kSdkVersion);
    session_->sendRequest(request);
    if (connectsOf(*session_, secure) != connects_before) {
      exchanged_on_connection_ = false;
    }

    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    got_response = true;
    body_.clear();
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      body_.append(buf, static_cast<std::size_t>(in.gcount()));
      if (body_.size() > kMaxBody) {
        // Not the proxy API talking (its answers are a few hundred bytes): stop the run rather
        // than refuse every number.
        Attempt a = failed(Attempt::Outcome::Drop,
                           "response body larger than " + std::to_string(kMaxBody) +
                               " bytes: not the contacts proxy API");
        a.not_the_api = true;
        a.stop_run = true;
        return a;
      }
    }
    if (in.bad()) {
      // The stream swallows a failed read (a timeout, a reset) and just ends; without
      // Content-Length that would pass for the end of the body.
      const Poco::Exception* cause = session_->networkException();
      const bool late =
          deadline.passed() || dynamic_cast<const Poco::TimeoutException*>(cause) != nullptr;
      Attempt a = failed(Attempt::Outcome::Retry,
                         late ? deadline.timeoutMessage()
                              : "response body cut short: " +
                                    (cause != nullptr ? cause->displayText() : "read failed"));
      a.http_status = static_cast<int>(response.getStatus());
      return a;
    }
    if (response.hasContentLength() &&
        static_cast<std::int64_t>(body_.size()) < response.getContentLength64()) {
      Attempt a = failed(Attempt::Outcome::Retry,
                         "response body truncated (" + std::to_string(body_.size()) + " of " +
                             std::to_string(response.getContentLength64()) + " bytes)");
      a.http_status = static_cast<int>(response.getStatus());
      return a;
    }
    exchanged_on_connection_ = true;
    return classifyResponse(static_cast<int>(response.getStatus()), response.getReason(), body_,
                            response.get("Retry-After", ""), call.applications);
  } catch (const Poco::TimeoutException&) {
    return failed(Attempt::Outcome::Retry, deadline.timeoutMessage());
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return failed(Attempt::Outcome::Retry, "connection refused");
  } catch (const Poco::Net::SSLException& e) {
    if (isCertificateFailure(e)) {
      Attempt a = failed(Attempt::Outcome::Drop,
                         "the server's TLS certificate was refused: " + e.displayText());
      a.stop_run = true;
      return a;
    }
    stale_reuse = reusing && !got_response && connectsOf(*session_, secure) == connects_before;
    return failed(Attempt::Outcome::Retry, "TLS error: " + e.displayText());
  } catch (const Poco::Net::HostNotFoundException& e) {
    return failed(Attempt::Outcome::Retry, "host not found: " + e.displayText());
  } catch (const Poco::Exception& e) {
    // A reset, an empty answer or a broken pipe on a connection that already carried an
    // exchange is the classic stale keep-alive race, not a provider failure.
    stale_reuse = reusing && !got_response && connectsOf(*session_, secure) == connects_before;
    return failed(Attempt::Outcome::Retry, e.displayText());
  } catch (const std::exception& e) {
    return failed(Attempt::Outcome::Retry, e.what());
  }
}

}  // namespace mobisync::remote
