// SPDX-License-Identifier: Apache-2.0
// Options: reading and checking the LDAP source's keys, group rules and DN comparison.
#include <doctest/doctest.h>

#include "ldap_options.hpp"

using mobisync::plugin::ConfigValues;
using namespace mobisync::plugins::ldap;

namespace {

ConfigValues minimal() {
  ConfigValues c;
  c.set("uri", std::string("ldap://127.0.0.1:3890"), "t.toml:1:1");
  c.set("base", std::string("ou=people,dc=example,dc=org"), "t.toml:2:1");
  return c;
}

}  // namespace

TEST_SUITE("plugin.ldap.options") {
  TEST_CASE("defaults apply when only uri and base are set") {
    mobisync::Result<Options> read = readOptions(minimal());
    REQUIRE(read);
    const Options& o = *read;
    CHECK(o.scope == Scope::Sub);
    CHECK(o.filter == kDefaultFilter);
    CHECK(o.msisdn_attributes == std::vector<std::string>{"mobile", "telephoneNumber"});
    CHECK(o.name_attributes == std::vector<std::string>{"displayName", "cn"});
    CHECK(o.reference_attributes == std::vector<std::string>{"uid", "employeeNumber"});
    CHECK(o.page_size == 1000);
    CHECK_FALSE(o.all_numbers);
    CHECK(o.groups.empty());
    CHECK(o.bind_dn.empty());
  }

  TEST_CASE("bad values name the key and where it was written") {
    ConfigValues c = minimal();
    std::string key;
    SUBCASE("uri scheme") {
      c.set("uri", std::string("http://x"), "t.toml:1:1");
      key = "uri";
    }
    SUBCASE("scope") {
      c.set("scope", std::string("subtree"), "t.toml:3:1");
      key = "scope";
    }
    SUBCASE("start_tls on ldaps") {
      c.set("uri", std::string("ldaps://x"), "t.toml:1:1");
      c.set("start_tls", true, "t.toml:3:1");
      key = "start_tls";
    }
    SUBCASE("ca_file without TLS") {
      c.set("ca_file", std::string("/etc/ssl/ca.pem"), "t.toml:3:1");
      key = "ca_file";
    }
    SUBCASE("dn without password") {
      c.set("bind_dn", std::string("cn=admin,dc=example,dc=org"), "t.toml:3:1");
      key = "bind_dn";
    }
    SUBCASE("password without dn") {
      c.set("bind_password", std::string("pw"), "t.toml:3:1");
      key = "bind_password";
    }
    SUBCASE("page size") {
      c.set("page_size", std::int64_t{-1}, "t.toml:3:1");
      key = "page_size";
    }
    SUBCASE("multiple numbers") {
      c.set("multiple_numbers", std::string("some"), "t.toml:3:1");
      key = "multiple_numbers";
    }
    SUBCASE("group mode") {
      c.set("group_mode", std::string("nested"), "t.toml:3:1");
      key = "group_mode";
    }
    SUBCASE("empty msisdn attributes") {
      c.set("msisdn_attributes", std::vector<std::string>{}, "t.toml:3:1");
      key = "msisdn_attributes";
    }
    SUBCASE("attribute twice") {
      c.set("msisdn_attributes", std::vector<std::string>{"mobile", "Mobile"}, "t.toml:3:1");
      key = "msisdn_attributes";
    }
    SUBCASE("group rule without arrow") {
      c.set("groups", std::vector<std::string>{"cn=sales,dc=example,dc=org contacts:42"},
            "t.toml:3:1");
      key = "groups";
    }
    SUBCASE("same group twice") {
      c.set("groups",
            std::vector<std::string>{"cn=sales,dc=example,dc=org => contacts:42",
                                     "CN=Sales, dc=example,dc=org => contacts:43"},
            "t.toml:3:1");
      key = "groups";
    }
    mobisync::Result<Options> read = readOptions(c);
    REQUIRE_FALSE(read);
    mobisync::Status s = read.error();
    INFO(s.message());
    CHECK(s.code() == mobisync::Errc::InvalidConfig);
    CHECK(s.message().find("t.toml:") == 0);
    CHECK(s.message().find(key) != std::string::npos);
  }

  TEST_CASE("a password never appears in an error") {
    ConfigValues c = minimal();
    c.set("bind_password", std::string("hunter2-secret"), "t.toml:3:1");
    mobisync::Result<Options> read = readOptions(c);
    REQUIRE_FALSE(read);
    mobisync::Status s = read.error();
    CHECK_FALSE(s.isOk());
    CHECK(s.message().find("hunter2-secret") == std::string::npos);
  }

  TEST_CASE("group rules parse into a DN and trimmed distinct tokens") {
    GroupRule rule;
    std::string error;
    REQUIRE(parseGroupRule(" cn=oncall,ou=groups,dc=example,dc=org =>  callcentre:7 , contacts:42,"
                           "callcentre:7 ",
                           rule, error));
    CHECK(rule.group_dn == "cn=oncall,ou=groups,dc=example,dc=org");
    CHECK(rule.tokens == std::vector<std::string>{"callcentre:7", "contacts:42"});
    CHECK_FALSE(parseGroupRule("=> contacts:42", rule, error));
    CHECK(error.find("no group DN") != std::string::npos);
    CHECK_FALSE(parseGroupRule("cn=x,dc=org =>  , ", rule, error));
    CHECK(error.find("no application token") != std::string::npos);
  }

  TEST_CASE("DNs compare without case or blanks after separators") {
    CHECK(normaliseDn("CN=Sales, OU=Groups, dc=Example,dc=org") ==
          normaliseDn("cn=sales,ou=groups,dc=example,dc=org"));
    CHECK(normaliseDn("cn=sales,ou=groups,dc=example,dc=org") !=
          normaliseDn("cn=sales2,ou=groups,dc=example,dc=org"));
  }
}
