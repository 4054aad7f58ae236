// SPDX-License-Identifier: Apache-2.0
// End to end against a real slapd: directory edits between runs become exactly their calls.
#include <doctest/doctest.h>

#include "ldap_workspace.hpp"

using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;
using namespace mobisync::test::ldap;
using Subscriptions = std::map<std::string, std::set<std::string>>;

namespace {

// Ten people; sales (p0..p5) -> contacts:42, oncall (p4..p7) -> callcentre:7, p8 and p9 in
// no mapped group, so they must never reach the provider.
void editsBetweenRuns(const std::string& group_mode) {
  SlapdOptions options;
  options.ldif = peopleLdif(0, 10);
  SlapdProcess slapd(options);
  // Groups go in through the server so the memberof overlay maintains memberOf.
  slapd.modify(groupLdif("sales", {0, 1, 2, 3, 4, 5}) + groupLdif("oncall", {4, 5, 6, 7}) +
                   groupLdif("unmapped", {8, 9}),
               true);

  LdapWorkspace w(true);
  w.configure(rootBind(slapd, slapd.ldapUri()) + "group_mode = \"" + group_mode +
              "\"\ngroups = [\"" + groupDn("sales") + " => contacts:42\", \"CN=OnCall, ou=groups,"
              "dc=example,dc=org => callcentre:7\"]\n",
              "max_delete = 10\n");
  auto first = w.run({"sync"});
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  w.newRequests();
  Subscriptions subs = w.sim().subscriptions();
  CHECK(subs.size() == 8);
  CHECK(subs[msisdn(0)] == std::set<std::string>{"contacts:42"});
  CHECK(subs[msisdn(4)] == std::set<std::string>{"callcentre:7", "contacts:42"});
  CHECK(subs[msisdn(7)] == std::set<std::string>{"callcentre:7"});
  CHECK(subs.count(msisdn(8)) == 0);

  // p0 moves from sales to oncall; p1's number changes; p2 is deleted; p10 joins sales.
  // In the order an administrator would: the new entry exists before a group names it, so
  // the memberof overlay can record it.
  slapd.modify("dn: " + personDn(10) + "\nchangetype: add\nobjectClass: inetOrgPerson\nuid: p10\n"
               "cn: Person 10\nsn: Person\nmobile: " + nationalNumber(10) + "\n\n" +
               "dn: " + groupDn("sales") + "\nchangetype: modify\ndelete: member\nmember: " +
               personDn(0) + "\n-\nadd: member\nmember: " + personDn(10) + "\n\n" +
               "dn: " + groupDn("oncall") + "\nchangetype: modify\nadd: member\nmember: " +
               personDn(0) + "\n\n" +
               "dn: " + personDn(1) + "\nchangetype: modify\nreplace: mobile\nmobile: " +
               nationalNumber(101) + "\n\n" +
               "dn: " + personDn(2) + "\nchangetype: delete\n\n");
  auto second = w.run({"sync"});
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(w.newRequests() == std::vector<std::string>{
                               "create " + msisdn(0) + " callcentre:7 Person 0",
                               "create " + msisdn(10) + " contacts:42 Person 10",
                               "create " + msisdn(101) + " contacts:42 Person 1",
                               "delete " + msisdn(0) + " contacts:42",
                               "delete " + msisdn(1) + " contacts:42",
                               "delete " + msisdn(2) + " contacts:42",
                           });

  auto third = w.run({"sync"});
  INFO(third.out << third.err);
  REQUIRE(third.exit_code == 0);
  CHECK(w.newRequests().empty());
  subs = w.sim().subscriptions();
  CHECK(subs.size() == 8);
  CHECK(subs[msisdn(0)] == std::set<std::string>{"callcentre:7"});
  CHECK(subs[msisdn(101)] == std::set<std::string>{"contacts:42"});
}

}  // namespace

TEST_SUITE("integration.ldap") {
  TEST_CASE("ldap edits between runs make exactly their calls with memberOf group rules") {
    MOBISYNC_REQUIRE_SLAPD();
    editsBetweenRuns("memberof");
  }

  TEST_CASE("ldap edits between runs make exactly their calls with member group rules") {
    MOBISYNC_REQUIRE_SLAPD();
    editsBetweenRuns("member");
  }

  TEST_CASE("ldap without group rules uses the job applications over ldapi") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = peopleLdif(0, 3);
    SlapdProcess slapd(options);
    LdapWorkspace w(true);
    w.configure("uri = \"" + slapd.ldapiUri() + "\"\nbase = \"ou=people,dc=example,dc=org\"\n"
                "attributes = [\"sn\"]\n");
    auto r = w.run({"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{"create " + msisdn(0) + " contacts:42 Person 0",
                                                      "create " + msisdn(1) + " contacts:42 Person 1",
                                                      "create " + msisdn(2) + " contacts:42 Person 2"});
  }
}
