// SPDX-License-Identifier: Apache-2.0
// LdapConnection: one bound libldap handle (URI, TLS, bind) with errors that name what failed.
#pragma once

#include <string>

#include "ldap_options.hpp"
#include "mobisync/status.hpp"

typedef struct ldap LDAP;  // NOLINT: libldap's own spelling, so ldap.h stays out of this header

namespace mobisync::plugins::ldap {

/// Owns one LDAP* from connect() until destruction (ldap_unbind_ext). Not copyable; one thread.
class LdapConnection {
 public:
  LdapConnection() = default;
  ~LdapConnection();
  LdapConnection(const LdapConnection&) = delete;
  LdapConnection& operator=(const LdapConnection&) = delete;

  /// Initialises the handle, sets TLS options (verification demanded), runs StartTLS when asked
  /// and binds. Never falls back to plain text. Errors name the URI and the bind DN, never the
  /// password; a refused certificate says so.
  Status connect(const Options& options);

  LDAP* handle() const { return ld_; }

  /// "Invalid credentials (49)" for a result code, with the server's diagnostic when it sent one.
  std::string describe(int code) const;

 private:
  Status tlsFailure(const Options& options, int code, const char* step) const;

  LDAP* ld_ = nullptr;
};

}  // namespace mobisync::plugins::ldap
