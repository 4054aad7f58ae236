// SPDX-License-Identifier: Apache-2.0
// The TLS client context for the provider's HTTPS endpoints: peers verified unless told not to.
#include "tls_context.hpp"

#include <mutex>

#include <Poco/Exception.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>

namespace mobisync::plugins::http {
namespace {

void initSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // Poco's default client handler comes from the application config and may be the console
    // handler, which would prompt a daemon on stdin. Rejecting is the only safe answer.
    Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
        new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  });
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const std::string& ca_file, bool verify_tls,
                                       Poco::Logger& logger) {
  initSslOnce();
  Poco::Net::Context::Params params;
  params.caLocation = ca_file;
  params.loadDefaultCAs = true;
  params.verificationDepth = 9;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
  if (verify_tls) {
    // RELAXED already fails a bad server certificate on a client, but Poco then skips the host
    // name check for loopback names; STRICT checks the name everywhere.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  } else {
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    logger.warning(
        "verify_tls is false: the provider's TLS certificate is NOT verified, so anyone on the "
        "network path can read the API key, the password and every message");
  }
  Poco::Net::Context::Ptr ctx;
  try {
    ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw Poco::Net::SSLContextException(
        "cannot set up TLS" + (ca_file.empty() ? std::string() : " with ca_file " + ca_file) +
        ": " + e.displayText());
  }
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  ctx->enableExtendedCertificateVerification(verify_tls);
  return ctx;
}

}  // namespace mobisync::plugins::http
