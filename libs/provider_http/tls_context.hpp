// SPDX-License-Identifier: Apache-2.0
// The TLS client context for the provider's HTTPS endpoints: peers verified unless told not to.
#pragma once

#include <string>

#include <Poco/Net/Context.h>

namespace mobisync::provider_http {

/// What a caller may choose about TLS; everything else is fixed policy.
struct TlsOptions {
  std::string ca_file;     ///< added to the system CAs; empty: the system CAs only
  bool verify_tls = true;  ///< false: no certificate or host name check at all (tests only)
  std::string message_prefix;  ///< starts the error text, e.g. "provider: "
};

/// Builds a client context: peer verification VERIFY_STRICT (so the host name is checked even
/// for loopback names, which Poco skips under RELAXED), the system CAs plus `ca_file`, host name
/// verification, TLS 1.2 or later, strong ciphers only; or no verification at all when
/// `verify_tls` is false (the caller warns about that where its user looks). Initialises NetSSL
/// once per process with a certificate handler that rejects, so nothing can prompt on stdin or
/// accept silently.
/// Throws Poco::Net::SSLContextException "<prefix>cannot set up TLS[ with ca_file F]: why".
Poco::Net::Context::Ptr makeTlsContext(const TlsOptions& options);

}  // namespace mobisync::provider_http
