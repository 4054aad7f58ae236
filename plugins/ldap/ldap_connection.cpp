// SPDX-License-Identifier: Apache-2.0
// LdapConnection: one bound libldap handle (URI, TLS, bind) with errors that name what failed.
#include "ldap_connection.hpp"

#include <ldap.h>

#include "mobisync/text.hpp"

namespace mobisync::plugins::ldap {

namespace {

bool looksLikeCertificateProblem(const std::string& text) {
  const std::string l = text::lowerAscii(text);
  return l.find("certificate") != std::string::npos || l.find("verif") != std::string::npos ||
         l.find("issuer") != std::string::npos || l.find("self-signed") != std::string::npos ||
         l.find("self signed") != std::string::npos;
}

// libldap reports a refused certificate as "Can't contact LDAP server" or "Connect error" with
// no reason from GnuTLS. To tell that from an unreachable server, connect once more with
// verification off and stop right after the handshake: no bind, so no credential crosses it.
bool handshakeWorksUnverified(const Options& options) {
  LDAP* probe = nullptr;
  if (ldap_initialize(&probe, options.uri.c_str()) != LDAP_SUCCESS || probe == nullptr) {
    return false;
  }
  const int version = LDAP_VERSION3;
  ldap_set_option(probe, LDAP_OPT_PROTOCOL_VERSION, &version);
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(options.timeout.count());
  ldap_set_option(probe, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  const int never = LDAP_OPT_X_TLS_NEVER;
  const int is_server = 0;
  bool ok = ldap_set_option(probe, LDAP_OPT_X_TLS_REQUIRE_CERT, &never) == LDAP_OPT_SUCCESS &&
            ldap_set_option(probe, LDAP_OPT_X_TLS_NEWCTX, &is_server) == LDAP_OPT_SUCCESS;
  if (ok) {
    ok = options.start_tls ? ldap_start_tls_s(probe, nullptr, nullptr) == LDAP_SUCCESS
                           : ldap_connect(probe) == LDAP_SUCCESS;
  }
  ldap_unbind_ext(probe, nullptr, nullptr);
  return ok;
}

}  // namespace

LdapConnection::~LdapConnection() {
  if (ld_ != nullptr) ldap_unbind_ext(ld_, nullptr, nullptr);
}

std::string LdapConnection::describe(int code) const {
  std::string out = ldap_err2string(code);
  out += " (";
  out += std::to_string(code);
  out += ')';
  if (ld_ != nullptr) {
    char* diagnostic = nullptr;
    if (ldap_get_option(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic) == LDAP_OPT_SUCCESS &&
        diagnostic != nullptr) {
      // GnuTLS failures leave this placeholder, which tells the reader nothing.
      if (*diagnostic != '\0' && std::string(diagnostic) != "(unknown error code)") {
        out += ": ";
        out += diagnostic;
      }
      ldap_memfree(diagnostic);
    }
  }
  return out;
}

Status LdapConnection::tlsFailure(const Options& options, int code, const char* step) const {
  const std::string detail = describe(code);
  const bool certificate = looksLikeCertificateProblem(detail) || handshakeWorksUnverified(options);
  if (!certificate && code == LDAP_SERVER_DOWN) {
    return Status::unavailable("ldap: cannot reach " + options.uri + ": " + detail);
  }
  std::string message = "ldap: ";
  message += step;
  message += " with ";
  message += options.uri;
  message += " failed: ";
  if (certificate) {
    // Nothing is retried in plain text or unverified: the caller fails the fetch.
    message += "the server's certificate could not be verified (";
    message += options.ca_file.empty() ? std::string("system CA store")
                                       : "ca_file " + options.ca_file;
    message += "): ";
  }
  message += detail;
  return Status::unavailable(std::move(message));
}

Status LdapConnection::connect(const Options& options) {
  if (ld_ != nullptr) {
    ldap_unbind_ext(ld_, nullptr, nullptr);
    ld_ = nullptr;
  }
  int rc = ldap_initialize(&ld_, options.uri.c_str());
  if (rc != LDAP_SUCCESS || ld_ == nullptr) {
    return Status::invalidConfig("ldap: cannot use URI " + options.uri + ": " +
                                 ldap_err2string(rc) + " (" + std::to_string(rc) + ")");
  }
  const int version = LDAP_VERSION3;
  ldap_set_option(ld_, LDAP_OPT_PROTOCOL_VERSION, &version);
  // Referrals would be chased with our credentials to a server nobody configured.
  ldap_set_option(ld_, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(options.timeout.count());
  ldap_set_option(ld_, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld_, LDAP_OPT_TIMEOUT, &timeout);

  const bool tls = options.start_tls || options.uri.rfind("ldaps://", 0) == 0;
  if (tls) {
    const int demand = LDAP_OPT_X_TLS_DEMAND;
    rc = ldap_set_option(ld_, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
    if (rc == LDAP_OPT_SUCCESS && !options.ca_file.empty()) {
      rc = ldap_set_option(ld_, LDAP_OPT_X_TLS_CACERTFILE, options.ca_file.c_str());
    }
    // Options on a handle only take effect in a TLS context made after them.
    const int is_server = 0;
    if (rc == LDAP_OPT_SUCCESS) rc = ldap_set_option(ld_, LDAP_OPT_X_TLS_NEWCTX, &is_server);
    if (rc != LDAP_OPT_SUCCESS) {
      return Status::invalidConfig("ldap: cannot set up TLS for " + options.uri +
                                   (options.ca_file.empty() ? std::string()
                                                            : " with ca_file " + options.ca_file) +
                                   ": " + describe(rc));
    }
  }
  if (options.start_tls) {
    rc = ldap_start_tls_s(ld_, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) return tlsFailure(options, rc, "StartTLS");
  }

  berval credentials{};
  credentials.bv_val = const_cast<char*>(options.bind_password.c_str());
  credentials.bv_len = options.bind_password.size();
  rc = ldap_sasl_bind_s(ld_, options.bind_dn.empty() ? nullptr : options.bind_dn.c_str(),
                        LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
  if (rc == LDAP_SUCCESS) return Status::ok();

  const bool ldaps = options.uri.rfind("ldaps://", 0) == 0;
  if (ldaps && (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR)) {
    return tlsFailure(options, rc, "TLS handshake");
  }
  if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT) {
    return Status::unavailable("ldap: cannot reach " + options.uri + ": " + describe(rc));
  }
  std::string message = "ldap: bind to ";
  message += options.uri;
  message += " as ";
  message += options.bind_dn.empty() ? std::string("anonymous") : options.bind_dn;
  message += " failed: ";
  message += describe(rc);
  return rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
                 rc == LDAP_INSUFFICIENT_ACCESS
             ? Status::rejected(std::move(message))
             : Status::unavailable(std::move(message));
}

}  // namespace mobisync::plugins::ldap
