// SPDX-License-Identifier: Apache-2.0
// LdapSource against a real slapd, without the host: streaming and failures midway.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "ldap_source.hpp"
#include "mobisync/plugin/testing.hpp"
#include "support/slapd_process.hpp"

using mobisync::Contact;
using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::testing::RecordingSink;
using mobisync::plugin::testing::TestContext;
using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;

namespace {

std::string people(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    out += "dn: uid=p" + std::to_string(i) + ",ou=people,dc=example,dc=org\n"
           "objectClass: inetOrgPerson\nuid: p" + std::to_string(i) + "\ncn: P\nsn: P\n"
           "mobile: 447930" + std::to_string(100000 + i) + "\n\n";
  }
  return out;
}

ConfigValues config(const SlapdProcess& slapd, std::int64_t page_size) {
  ConfigValues c;
  c.set("uri", slapd.ldapUri(), "t.toml:1:1");
  c.set("base", std::string("ou=people,dc=example,dc=org"), "t.toml:2:1");
  c.set("page_size", page_size, "t.toml:3:1");
  return c;
}

}  // namespace

TEST_SUITE("plugin.ldap.source") {
  TEST_CASE("a server lost between pages fails the fetch") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = people(1000);
    SlapdProcess slapd(options);
    const TestContext context(config(slapd, 100), "ldap", "test");
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    RecordingSink sink;
    sink.on_accept = [&slapd, &sink](const mobisync::Contact&) {
      if (sink.accepted == 150) slapd.kill();
      return Status::ok();
    };
    Status s = source.fetch(sink);
    INFO(s.message());
    CHECK_FALSE(s.isOk());
    CHECK(s.message().find(slapd.ldapUri()) != std::string::npos);
    CHECK(sink.accepted < 1000);
    source.shutdown();
  }

  TEST_CASE("a sink that refuses stops the fetch with its status") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = people(300);
    SlapdProcess slapd(options);
    const TestContext context(config(slapd, 100), "ldap", "test");
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    RecordingSink sink;
    sink.on_accept = [&sink](const mobisync::Contact&) {
      return sink.accepted == 120 ? Status::io("sink full") : Status::ok();
    };
    Status s = source.fetch(sink);
    CHECK(s.message() == "sink full");
    CHECK(sink.accepted == 120);
    // The handle is gone with the fetch: a second fetch starts afresh and reads everything.
    sink.on_accept = nullptr;
    sink.accepted = 0;
    CHECK(source.fetch(sink).isOk());
    CHECK(sink.accepted == 300);
    source.shutdown();
  }

  TEST_CASE("an entry without a number is a plain reject, not one that protects a number") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = people(3) +
                   "dn: uid=nonumber,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\n"
                   "uid: nonumber\ncn: N\nsn: N\n\n";
    SlapdProcess slapd(options);
    const TestContext context(config(slapd, 100), "ldap", "test");
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    RecordingSink sink;
    REQUIRE(source.fetch(sink).isOk());
    CHECK(sink.accepted == 3);
    CHECK(sink.rejects.size() - sink.rejected_with_number == 1);  // plain reject()s
    CHECK(sink.rejected_with_number == 0);
    REQUIRE(sink.rejects.size() == 1);
    CHECK(sink.rejects[0].position == "uid=nonumber,ou=people,dc=example,dc=org");
    source.shutdown();
  }

  // What plugins/ldap/README.md ("What a read guarantees") says of OpenLDAP's back-mdb: each page
  // is a search of its own that goes on after the last entry sent, so changes committed between
  // pages show in the pages not yet read.
  TEST_CASE("a paged read is no snapshot: changes between pages show in the later pages") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdOptions options;
    options.ldif = people(1000);
    SlapdProcess slapd(options);
    const TestContext context(config(slapd, 100), "ldap", "test");
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    RecordingSink sink;
    sink.on_accept = [&slapd, &sink](const mobisync::Contact&) {
      if (sink.accepted == 150) {
        // p900 (not read yet) leaves, p950 is renamed, a new person arrives.
        slapd.modify("dn: uid=p900,ou=people,dc=example,dc=org\nchangetype: delete\n\n"
                     "dn: uid=p950,ou=people,dc=example,dc=org\nchangetype: modrdn\n"
                     "newrdn: uid=p950b\ndeleteoldrdn: 0\n\n"
                     "dn: uid=new,ou=people,dc=example,dc=org\nchangetype: add\n"
                     "objectClass: inetOrgPerson\nuid: new\ncn: N\nsn: N\n"
                     "mobile: 447931999999\n\n");
      }
      return Status::ok();
    };
    const Status s = source.fetch(sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(sink.accepted == 1000);
    CHECK_FALSE(sink.has("447930100900"));  // deleted before its page: missed
    CHECK(sink.has("447931999999"));        // added after the read began: seen
    // Renamed in place, so read once (back-mdb keeps its entry id).
    const std::vector<std::string> numbers = sink.numbers();
    CHECK(std::count(numbers.begin(), numbers.end(), "447930100950") == 1);
    source.shutdown();
  }
}
