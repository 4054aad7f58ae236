// SPDX-License-Identifier: Apache-2.0
// Bad inputs against a real slapd: wrong password, missing number, bad filter, no server.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "ldap_workspace.hpp"

using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;
using namespace mobisync::test::ldap;

TEST_SUITE("integration.ldap") {
  TEST_CASE("ldap bind with a wrong password names the uri the dn and code 49 but not the password") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdProcess slapd;
    LdapWorkspace w;
    const std::string wrong = "not-the-root-password";
    w.dir().write("wrong.password", wrong);
    w.configure("uri = \"" + slapd.ldapUri() + "\"\nbind_dn = \"" + SlapdProcess::kRootDn +
                "\"\nbind_password_file = \"" + w.dir().file("wrong.password") +
                "\"\nbase = \"ou=people,dc=example,dc=org\"\n");
    auto r = w.run({"plan"});
    const std::string all = r.out + r.err;
    INFO(all);
    CHECK(r.exit_code != 0);
    CHECK(all.find("ldap: bind to " + slapd.ldapUri() + " as " + SlapdProcess::kRootDn +
                   " failed: Invalid credentials (49)") != std::string::npos);
    CHECK(all.find(wrong) == std::string::npos);
  }

  TEST_CASE("ldap entries without a number are rejected by DN and the rest sync") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = peopleLdif(0, 2) + personLdif(2, -1);
    SlapdProcess slapd(options);
    LdapWorkspace w(true);
    w.configure(rootBind(slapd, slapd.ldapUri()));
    auto r = w.run({"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{"create " + msisdn(0) + " contacts:42 Person 0",
                                                      "create " + msisdn(1) + " contacts:42 Person 1"});
    std::ifstream rejects(w.dir().file("staff.rejects.csv"));
    std::string rejected((std::istreambuf_iterator<char>(rejects)), {});
    CHECK(rejected.find(personDn(2)) != std::string::npos);
    CHECK(rejected.find("no number") != std::string::npos);
  }

  TEST_CASE("ldap fallback attributes and all numbers of an entry") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = "dn: uid=ann,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: ann\n"
                   "cn: Ann\nsn: A\ndisplayName: Ann Example\ntelephoneNumber: " +
                   nationalNumber(1) + "\n\n" +
                   "dn: uid=bob,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: bob\n"
                   "cn: Bob\nsn: B\nmobile: " + nationalNumber(2) + "\nmobile: " + nationalNumber(3) +
                   "\ntelephoneNumber: " + nationalNumber(4) + "\n\n";
    SlapdProcess slapd(options);
    LdapWorkspace w(true);
    SUBCASE("first") {
      w.configure(rootBind(slapd, slapd.ldapUri()));
      REQUIRE(w.run({"sync"}).exit_code == 0);
      auto requests = w.newRequests();
      REQUIRE(requests.size() == 2);
      CHECK(requests[0] == "create " + msisdn(1) + " contacts:42 Ann Example");
      // Which of Bob's two mobiles is first is the server's order; one of them, not his phone.
      CHECK((requests[1] == "create " + msisdn(2) + " contacts:42 Bob" ||
             requests[1] == "create " + msisdn(3) + " contacts:42 Bob"));
    }
    SUBCASE("all") {
      w.configure(rootBind(slapd, slapd.ldapUri()) + "multiple_numbers = \"all\"\n");
      REQUIRE(w.run({"sync"}).exit_code == 0);
      CHECK(w.newRequests() == std::vector<std::string>{
                                   "create " + msisdn(1) + " contacts:42 Ann Example",
                                   "create " + msisdn(2) + " contacts:42 Bob",
                                   "create " + msisdn(3) + " contacts:42 Bob"});
    }
  }

  TEST_CASE("ldap invalid filter syntax is named") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdProcess slapd;
    LdapWorkspace w;
    w.configure(rootBind(slapd, slapd.ldapUri()) + "filter = \"(&(objectClass=person)(uid=p0)\"\n");
    auto r = w.run({"plan"});
    const std::string all = r.out + r.err;
    INFO(all);
    CHECK(r.exit_code != 0);
    CHECK(all.find("filter \"(&(objectClass=person)(uid=p0)\" is invalid") != std::string::npos);
  }

  TEST_CASE("ldap unreachable server is named and nothing is removed") {
    MOBISYNC_REQUIRE_SLAPD();
    std::string uri;
    std::string ldaps_uri;
    {
      // Ports slapd listened on a moment ago and no longer does.
      SlapdProcess gone;
      uri = gone.ldapUri();
      ldaps_uri = gone.ldapsUri();
    }
    SUBCASE("ldap") {}
    SUBCASE("ldaps") { uri = ldaps_uri; }
    LdapWorkspace w;
    w.configure("uri = \"" + uri + "\"\nbase = \"ou=people,dc=example,dc=org\"\ntimeout_seconds = 5\n");
    auto r = w.run({"sync"});
    const std::string all = r.out + r.err;
    INFO(all);
    CHECK(r.exit_code == 69);
    CHECK(all.find("ldap: cannot reach " + uri + ": Can't contact LDAP server (-1)") !=
          std::string::npos);
  }
}
