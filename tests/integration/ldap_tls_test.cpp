// SPDX-License-Identifier: Apache-2.0
// TLS against a real slapd: StartTLS and LDAPS with the test CA; a wrong CA is a clear failure.
#include <doctest/doctest.h>

#include "ldap_workspace.hpp"

using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;
using namespace mobisync::test::ldap;

namespace {

SlapdOptions threePeople() {
  SlapdOptions options;
  options.ldif = peopleLdif(0, 3);
  return options;
}

}  // namespace

TEST_SUITE("integration.ldap") {
  TEST_CASE("ldap over StartTLS and over LDAPS with the right CA reads the directory") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdProcess slapd(threePeople());
    LdapWorkspace w;
    SUBCASE("StartTLS") {
      w.configure(rootBind(slapd, slapd.ldapUri()) + "start_tls = true\nca_file = \"" +
                  slapd.caFile() + "\"\n");
    }
    SUBCASE("LDAPS") {
      w.configure(rootBind(slapd, slapd.ldapsUri()) + "ca_file = \"" + slapd.caFile() + "\"\n");
    }
    auto r = w.run({"plan", "--format", "json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"add\": 3") != std::string::npos);
  }

  TEST_CASE("ldap with a CA that did not sign the server certificate fails and names it") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdProcess slapd(threePeople());
    LdapWorkspace w;
    std::string uri;
    SUBCASE("StartTLS") {
      uri = slapd.ldapUri();
      w.configure(rootBind(slapd, uri) + "start_tls = true\nca_file = \"" + slapd.otherCaFile() +
                  "\"\n");
    }
    SUBCASE("LDAPS") {
      uri = slapd.ldapsUri();
      w.configure(rootBind(slapd, uri) + "ca_file = \"" + slapd.otherCaFile() + "\"\n");
    }
    auto r = w.run({"plan"});
    const std::string all = r.out + r.err;
    INFO(all);
    CHECK(r.exit_code == 69);
    CHECK(all.find(uri) != std::string::npos);
    CHECK(all.find("certificate could not be verified") != std::string::npos);
    CHECK(all.find(slapd.otherCaFile()) != std::string::npos);
    CHECK(all.find("nothing applied") != std::string::npos);
  }
}
