// SPDX-License-Identifier: Apache-2.0
// TLS to the provider verifies certificates by default: a sync against the simulator serving
// HTTPS with a self-signed certificate is refused (no call applied, a message that says the
// certificate failed verification) until `ca_file` names that certificate; then it succeeds.
#include <doctest/doctest.h>

#include "reliability/sync_workspace.hpp"
#include "support/test_certificate.hpp"

using mobisync::test::contactsCsv;
using mobisync::test::SyncWorkspace;
using mobisync::test::TempDir;
using mobisync::test::WorkspaceOptions;

TEST_SUITE("reliability.tls") {
  TEST_CASE("a self-signed provider certificate is refused unless ca_file trusts it") {
    TempDir certs;
    const auto cert = mobisync::test::makeSelfSignedCertificate(certs);
    WorkspaceOptions o;
    o.sim.tls_cert = cert.cert_file;
    o.sim.tls_key = cert.key_file;
    o.extra_provider = "max_attempts = 2\nbackoff_initial_ms = 10\n";
    SyncWorkspace w(o);
    REQUIRE(w.sim().baseUrl().rfind("https://", 0) == 0);
    w.writeCsv(contactsCsv(0, 5));

    auto refused = w.run({"sync", "--progress", "never"});
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code != 0);
    const std::string said = refused.out + refused.err;
    CHECK(said.find("certificate") != std::string::npos);
    CHECK(said.find("verif") != std::string::npos);
    CHECK(said.find("the server's TLS certificate was refused") != std::string::npos);
    CHECK(said.find("0 of 5 planned calls confirmed") != std::string::npos);
    CHECK(refused.exit_code == 69);  // docs/errors.md: a refused certificate is unavailable
    CHECK(w.providerPairs().empty());
    CHECK(w.calls().empty());  // refused at the handshake: no request reached the provider

    // A second workspace (and simulator) with the same certificate, now trusted by ca_file.
    SyncWorkspace trusted([&] {
      WorkspaceOptions t = o;
      t.extra_provider += "ca_file = \"" + cert.cert_file + "\"\n";
      return t;
    }());
    trusted.writeCsv(contactsCsv(0, 5));
    auto ok = trusted.run({"sync", "--progress", "never"});
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(trusted.providerPairs().size() == 5);
  }
}
