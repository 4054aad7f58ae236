// SPDX-License-Identifier: Apache-2.0
// EntryMapper: attribute fallback, several numbers, group rules by memberOf and by member.
#include <doctest/doctest.h>

#include <algorithm>

#include "ldap_mapper.hpp"

using namespace mobisync::plugins::ldap;
using mobisync::Contact;
using mobisync::RejectedRow;

namespace {

Options options() {
  Options o;
  o.msisdn_attributes = {"mobile", "telephoneNumber"};
  o.name_attributes = {"displayName", "cn"};
  o.reference_attributes = {"uid", "employeeNumber"};
  return o;
}

GroupRule rule(const std::string& text) {
  GroupRule r;
  std::string error;
  REQUIRE(parseGroupRule(text, r, error));
  return r;
}

EntryData ann() {
  EntryData e;
  e.dn = "uid=ann,ou=people,dc=example,dc=org";
  e.attributes = {{"cn", {"Ann"}},
                  {"UID", {"ann"}},
                  {"telephoneNumber", {"020 7946 0000"}},
                  {"mobile", {"", "07930 000001", "07930 000002"}},
                  {"memberOf", {"CN=Sales,ou=groups,dc=example,dc=org"}}};
  return e;
}

}  // namespace

TEST_SUITE("plugin.ldap.mapper") {
  TEST_CASE("the first attribute with a value in fallback order fills each role") {
    Options o = options();
    o.attributes = {"telephoneNumber"};
    EntryMapper m(o);
    std::vector<Contact> out;
    RejectedRow reject;
    REQUIRE(m.map(ann(), out, reject) == EntryMapper::Outcome::Contacts);
    REQUIRE(out.size() == 1);
    CHECK(out[0].msisdn == "07930 000001");
    CHECK(out[0].name == "Ann");
    CHECK(out[0].reference == "ann");
    CHECK(out[0].applications.empty());
    CHECK(out[0].position == "uid=ann,ou=people,dc=example,dc=org");
    REQUIRE(out[0].attributes.size() == 1);
    CHECK(out[0].attributes[0].second == "020 7946 0000");
  }

  TEST_CASE("multiple_numbers all makes one contact per value") {
    Options o = options();
    o.all_numbers = true;
    EntryMapper m(o);
    std::vector<Contact> out;
    RejectedRow reject;
    REQUIRE(m.map(ann(), out, reject) == EntryMapper::Outcome::Contacts);
    REQUIRE(out.size() == 2);
    CHECK(out[0].msisdn == "07930 000001");
    CHECK(out[1].msisdn == "07930 000002");
    CHECK(out[1].name == "Ann");
  }

  TEST_CASE("an entry without any number attribute is rejected by DN") {
    EntryMapper m(options());
    EntryData e;
    e.dn = "uid=bob,ou=people,dc=example,dc=org";
    e.attributes = {{"cn", {"Bob"}}};
    std::vector<Contact> out;
    RejectedRow reject;
    CHECK(m.map(e, out, reject) == EntryMapper::Outcome::Rejected);
    CHECK(out.empty());
    CHECK(reject.position == e.dn);
    CHECK(reject.reason.find("mobile, telephoneNumber") != std::string::npos);
  }

  TEST_CASE("memberOf group rules give tokens in rule order and skip people in no group") {
    Options o = options();
    o.groups = {rule("cn=oncall,ou=groups,dc=example,dc=org => callcentre:7"),
                rule("cn=sales,ou=groups,dc=example,dc=org => contacts:42, contacts:43")};
    EntryMapper m(o);
    const auto attrs = m.requestedAttributes();
    CHECK(std::find(attrs.begin(), attrs.end(), "memberOf") != attrs.end());
    std::vector<Contact> out;
    RejectedRow reject;
    EntryData e = ann();
    REQUIRE(m.map(e, out, reject) == EntryMapper::Outcome::Contacts);
    CHECK(out[0].applications == std::vector<std::string>{"contacts:42", "contacts:43"});
    e.attributes.back().second.push_back("cn=oncall,ou=groups,dc=example,dc=org");
    REQUIRE(m.map(e, out, reject) == EntryMapper::Outcome::Contacts);
    CHECK(out[0].applications ==
          std::vector<std::string>{"callcentre:7", "contacts:42", "contacts:43"});
    e.attributes.pop_back();
    CHECK(m.map(e, out, reject) == EntryMapper::Outcome::NotInGroup);
    CHECK(out.empty());
  }

  TEST_CASE("member group rules match the entry DN") {
    Options o = options();
    o.group_mode = GroupMode::Member;
    o.groups = {rule("cn=sales,ou=groups,dc=example,dc=org => contacts:42")};
    EntryMapper m(o);
    const auto attrs = m.requestedAttributes();
    CHECK(std::find(attrs.begin(), attrs.end(), "memberOf") == attrs.end());
    std::vector<Contact> out;
    RejectedRow reject;
    CHECK(m.map(ann(), out, reject) == EntryMapper::Outcome::NotInGroup);
    m.addMember("UID=Ann, ou=People,dc=example,dc=org", 0);
    REQUIRE(m.map(ann(), out, reject) == EntryMapper::Outcome::Contacts);
    CHECK(out[0].applications == std::vector<std::string>{"contacts:42"});
  }
}
