// SPDX-License-Identifier: Apache-2.0
// A real OpenLDAP slapd for tests: throwaway config, test CA, slapadd-loaded data, free ports.
#pragma once

#include <memory>
#include <string>

#include "support/missing_peer.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// How to build the directory. The suffix is always dc=example,dc=org with ou=people and
/// ou=groups; `ldif` is added by slapadd after them (blank-line separated entries).
struct SlapdOptions {
  std::string ldif;
  /// The server's size limit for a search without paging; 0 means slapd's default (500).
  /// Paged searches may read past it (size.prtotal=unlimited), as directories are set up in
  /// practice and as RFC 2696 intends.
  int size_limit = 0;
  /// Load the memberof overlay, so groups added through modify() maintain memberOf.
  bool memberof = true;
};

/// Runs /usr/sbin/slapd in the foreground on 127.0.0.1 (ldap:// and ldaps:// on free ports) and
/// on an ldapi:// socket in its own temp dir, with a test CA and a server certificate for
/// 127.0.0.1 made by openssl. The destructor stops it (SIGTERM, then SIGKILL) and removes
/// everything. Owned by one test; not thread-safe.
class SlapdProcess {
 public:
  static constexpr const char* kSuffix = "dc=example,dc=org";
  static constexpr const char* kRootDn = "cn=admin,dc=example,dc=org";
  /// A throwaway password for a throwaway server; tests pass it through a file or env var.
  static constexpr const char* kRootPassword = "test-root-secret";

  /// Empty when slapd, slapadd, ldapmodify and openssl are installed; else what is missing.
  static std::string unavailableReason();

  /// Makes the CA and certificates, the config and the database, and starts slapd.
  /// @throws std::runtime_error with the failing tool's output when any step fails.
  explicit SlapdProcess(SlapdOptions options = {});
  ~SlapdProcess();

  SlapdProcess(const SlapdProcess&) = delete;
  SlapdProcess& operator=(const SlapdProcess&) = delete;

  std::string ldapUri() const;   ///< "ldap://127.0.0.1:PORT"
  std::string ldapsUri() const;  ///< "ldaps://127.0.0.1:PORT"
  std::string ldapiUri() const;  ///< "ldapi://%2F...%2Fldapi"
  int ldapPort() const { return ldap_port_; }

  /// The CA that signed the server's certificate, and another CA that did not.
  std::string caFile() const;
  std::string otherCaFile() const;
  /// A file holding kRootPassword, for bind_password_file.
  std::string rootPasswordFile() const;

  /// Kills slapd at once (SIGKILL), as a crash or a lost network would; the URIs stop answering.
  void kill();

  /// Applies `ldif` (changetype records, or plain entries to add with `add = true`) as the
  /// root DN over ldapi://, so overlays run as in production.
  /// @throws std::runtime_error with ldapmodify's output when it fails.
  void modify(const std::string& ldif, bool add = false);

 private:
  void makeCertificates();
  void writeConfig(const SlapdOptions& options);
  void start();

  TempDir dir_;  // declared first so it outlives the child
  std::unique_ptr<ChildProcess> child_;
  int ldap_port_ = 0;
  int ldaps_port_ = 0;
};

}  // namespace mobisync::test

/// Returns from the calling test when slapd is not installed, by skipForMissingPeer's rule
/// (a failure under CI=true, where scripts/setup installs it; a skip elsewhere).
#define MOBISYNC_REQUIRE_SLAPD()                                                      \
  do {                                                                                \
    const std::string why_ = ::mobisync::test::SlapdProcess::unavailableReason();     \
    if (!why_.empty()) {                                                              \
      ::mobisync::test::skipForMissingPeer("slapd is not usable here: " + why_);      \
      return;                                                                         \
    }                                                                                 \
  } while (0)
