// SPDX-License-Identifier: Apache-2.0
// The TLS client context for the provider's HTTPS endpoints: peers verified unless told not to.
#include "provider_http/tls_context.hpp"

#include <mutex>

#include <Poco/Exception.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>

namespace mobisync::provider_http {
namespace {

void initSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // Poco's default client handler comes from the application config and may be the console
    // handler, which would prompt a daemon on stdin. Rejecting is the only safe answer to a bad
    // certificate; an operator who wants otherwise sets verify_tls = false and is warned.
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const TlsOptions& options) {
  initSslOnce();
  Poco::Net::Context::Params params;
  params.caLocation = options.ca_file;
  params.loadDefaultCAs = true;
  params.verificationDepth = 9;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
  // On a client RELAXED already fails the handshake on a bad server certificate, but Poco then
  // skips the host name check for loopback names; STRICT checks the name everywhere.
  params.verificationMode =
      options.verify_tls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
  Poco::Net::Context::Ptr ctx;
  try {
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw Poco::Net::SSLContextException(
        options.message_prefix + "cannot set up TLS" +
        (options.ca_file.empty() ? std::string() : " with ca_file " + options.ca_file) + ": " +
        e.displayText());
  }
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // Host name verification: the certificate must name the host we connected to.
  ctx->enableExtendedCertificateVerification(options.verify_tls);
  return ctx;
}

}  // namespace mobisync::provider_http
