// SPDX-License-Identifier: Apache-2.0
// The TLS context: what verify_tls and ca_file set, and the error for a ca_file that is not one.
#include <doctest/doctest.h>

#include <Poco/Net/SSLException.h>
#include <openssl/ssl.h>

#include <string>

#include "provider_http/tls_context.hpp"

namespace mobisync::provider_http {

TEST_SUITE("libs.provider_http") {
  TEST_CASE("a verifying TLS context checks the peer strictly and its host name, TLS 1.2 up") {
    const Poco::Net::Context::Ptr ctx = makeTlsContext({"", true, ""});
    CHECK(ctx->verificationMode() == Poco::Net::Context::VERIFY_STRICT);
    CHECK(ctx->extendedCertificateVerificationEnabled());
    CHECK(ctx->usage() == Poco::Net::Context::TLS_CLIENT_USE);
    CHECK(SSL_CTX_get_min_proto_version(ctx->sslContext()) == TLS1_2_VERSION);
  }

  TEST_CASE("verify_tls false turns every check off") {
    const Poco::Net::Context::Ptr ctx = makeTlsContext({"", false, ""});
    CHECK(ctx->verificationMode() == Poco::Net::Context::VERIFY_NONE);
    CHECK_FALSE(ctx->extendedCertificateVerificationEnabled());
    CHECK(SSL_CTX_get_min_proto_version(ctx->sslContext()) == TLS1_2_VERSION);
  }

  TEST_CASE("a ca_file that cannot be read is an error naming it after the caller's prefix") {
    const std::string missing = "/nonexistent/mobisync-test-ca.pem";
    try {
      (void)makeTlsContext({missing, true, "provider: "});
      FAIL("no exception");
    } catch (const Poco::Net::SSLContextException& e) {
      CHECK(e.message().rfind("provider: cannot set up TLS with ca_file " + missing + ": ", 0) ==
            0);
    }
  }
}

}  // namespace mobisync::provider_http
