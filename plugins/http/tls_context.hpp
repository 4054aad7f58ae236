// SPDX-License-Identifier: Apache-2.0
// The TLS client context for the provider's HTTPS endpoints: peers verified unless told not to.
#pragma once

#include <string>

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>

namespace mobisync::plugins::http {

/// Builds a client context: VERIFY_STRICT with host name checks, the system CAs plus `ca_file`,
/// TLS 1.2 or later; or no verification when `verify_tls` is false (warned on `logger`).
/// Initialises NetSSL once per process with a certificate handler that rejects, so nothing can
/// prompt on stdin or accept silently. The same policy as the core's provider client, which a
/// plugin cannot link (it lives in the host executable's static core).
/// Throws Poco::Exception with a readable message (e.g. an unreadable `ca_file`).
Poco::Net::Context::Ptr makeTlsContext(const std::string& ca_file, bool verify_tls,
                                       Poco::Logger& logger);

}  // namespace mobisync::plugins::http
