// SPDX-License-Identifier: Apache-2.0
// LdapSource against a real slapd, without the host: streaming and failures midway.
#include <doctest/doctest.h>

#include <Poco/Logger.h>

#include <cstdlib>
#include <functional>

#include "ldap_source.hpp"
#include "support/slapd_process.hpp"

using mobisync::Contact;
using mobisync::RejectedRow;
using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::Context;
using mobisync::test::SlapdOptions;
using mobisync::test::SlapdProcess;

namespace {

#define MOBISYNC_REQUIRE_SLAPD()                                                   \
  do {                                                                             \
    const std::string why_ = SlapdProcess::unavailableReason();                    \
    const char* ci_ = std::getenv("CI");                                           \
    if (!why_.empty()) {                                                           \
      if (ci_ != nullptr && std::string(ci_) == "true") FAIL("slapd is required under CI: " << why_); \
      MESSAGE("[skipped] slapd tests: " << why_);                                  \
      return;                                                                      \
    }                                                                              \
  } while (0)

/// Counts what it gets and runs `on_accept` with the running count.
class CountingSink final : public mobisync::plugin::ContactSink {
 public:
  std::function<Status(std::size_t)> on_accept = [](std::size_t) { return Status::ok(); };
  std::size_t accepted = 0;
  std::size_t rejected = 0;

  Status accept(Contact&&) override { return on_accept(++accepted); }
  void reject(RejectedRow&&) override { ++rejected; }
};

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
    ConfigValues values = config(slapd, 100);
    Context context{"test", values, Poco::Logger::get("test.ldap")};
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    CountingSink sink;
    sink.on_accept = [&slapd](std::size_t n) {
      if (n == 150) slapd.kill();
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
    ConfigValues values = config(slapd, 100);
    Context context{"test", values, Poco::Logger::get("test.ldap")};
    mobisync::plugins::ldap::LdapSource source;
    REQUIRE(source.init(context).isOk());
    CountingSink sink;
    sink.on_accept = [](std::size_t n) {
      return n == 120 ? Status::io("sink full") : Status::ok();
    };
    Status s = source.fetch(sink);
    CHECK(s.message() == "sink full");
    CHECK(sink.accepted == 120);
    // The handle is gone with the fetch: a second fetch starts afresh and reads everything.
    sink.on_accept = [](std::size_t) { return Status::ok(); };
    sink.accepted = 0;
    CHECK(source.fetch(sink).isOk());
    CHECK(sink.accepted == 300);
    source.shutdown();
  }
}
