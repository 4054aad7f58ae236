// SPDX-License-Identifier: Apache-2.0
// Paged results against a real slapd: 10,000 entries past a size limit of 500.
#include <doctest/doctest.h>

#include "ldap_workspace.hpp"

using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;
using namespace mobisync::test::ldap;

TEST_SUITE("integration.ldap") {
  TEST_CASE("ldap reads 10000 entries past a size limit of 500 by paging and without paging removes nothing") {
    MOBISYNC_REQUIRE_SLAPD();
    constexpr int kPeople = 10000;
    SlapdOptions options;
    options.ldif = peopleLdif(0, kPeople);
    options.size_limit = 500;
    SlapdProcess slapd(options);
    LdapWorkspace w(true);
    // Anonymous: the root DN is exempt from limits, which would prove nothing.
    const std::string source =
        "uri = \"" + slapd.ldapUri() + "\"\nbase = \"ou=people,dc=example,dc=org\"\n";

    w.configure(source + "page_size = 300\n");
    auto paged = w.run({"sync"});
    INFO(paged.out << paged.err);
    REQUIRE(paged.exit_code == 0);
    CHECK(paged.err.find("in 34 page(s)") != std::string::npos);
    CHECK(w.newRequests().size() == kPeople);
    auto subs = w.sim().subscriptions();
    CHECK(subs.size() == kPeople);
    CHECK(subs.count(msisdn(0)) == 1);
    CHECK(subs.count(msisdn(kPeople - 1)) == 1);

    w.configure(source + "page_size = 0\n", "max_delete = \"100%\"\n");
    auto unpaged = w.run({"sync", "--force"});
    INFO(unpaged.out << unpaged.err);
    CHECK(unpaged.exit_code == 69);
    CHECK((unpaged.out + unpaged.err).find("Size limit exceeded (4)") != std::string::npos);
    CHECK((unpaged.out + unpaged.err).find("set page_size") != std::string::npos);
    CHECK(w.newRequests().empty());
    CHECK(w.sim().subscriptions().size() == kPeople);
  }
}
