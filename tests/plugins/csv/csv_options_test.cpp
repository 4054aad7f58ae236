// SPDX-License-Identifier: Apache-2.0
// csv readOptions(): defaults, the dialect, and errors that name the key and quote an excerpt.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "csv_options.hpp"

using mobisync::plugin::ConfigValues;
using namespace mobisync::plugins::csv;

namespace {

ConfigValues minimal() {
  ConfigValues c;
  c.set("path", std::string("/data/people.csv"), "t.toml:1:1");
  return c;
}

/// One key set to a bad value, and a piece of what the error must say.
struct BadValue {
  const char* key;
  mobisync::plugin::ConfigValue value;
  const char* says;
};

}  // namespace

TEST_SUITE("plugin.csv.options") {
  TEST_CASE("defaults apply when only path is set") {
    auto o = readOptions(minimal());
    REQUIRE(o.has_value());
    CHECK(o->file_name == "people.csv");
    CHECK(o->dialect.delimiter == ',');
    CHECK(o->dialect.quote == '"');
    CHECK(o->dialect.has_quote);
    CHECK(o->encoding == Encoding::Utf8);
    CHECK(o->msisdn_column == kDefaultMsisdnColumn);
    CHECK(o->applications_separator == kDefaultApplicationsSeparator);
    CHECK(o->attributes.empty());
    CHECK(o->msisdn_where == "msisdn_column");
  }

  TEST_CASE("an empty quote turns quoting off, a semicolon dialect and latin-1 read as set") {
    ConfigValues c = minimal();
    c.set("delimiter", std::string(";"), "t.toml:2:1");
    c.set("quote", std::string(""), "t.toml:3:1");
    c.set("encoding", std::string("ISO-8859-1"), "t.toml:4:1");
    c.set("attributes", std::vector<std::string>{"city", "plan"}, "t.toml:5:1");
    auto o = readOptions(c);
    REQUIRE(o.has_value());
    CHECK(o->dialect.delimiter == ';');
    CHECK_FALSE(o->dialect.has_quote);
    CHECK(o->encoding == Encoding::Iso88591);
    CHECK(o->attributes == std::vector<std::string>{"city", "plan"});
    CHECK(o->attributes_where == "t.toml:5:1: attributes");
  }

  TEST_CASE("bad values name the key and where it was written") {
    const BadValue cases[] = {
        {"path", std::string(""), "is required"},
        {"delimiter", std::string("::"), "got \"::\""},
        {"quote", std::string(","), "must differ from delimiter"},
        {"encoding", std::string("ebcdic"), "got \"ebcdic\""},
        {"msisdn_column", std::string(""), "phone numbers"},
        {"applications_separator", std::string(""), "must not be empty"},
        {"attributes", std::vector<std::string>{"city", "city"}, "lists column \"city\" twice"},
    };
    for (const BadValue& bad : cases) {
      ConfigValues c = minimal();
      c.set(bad.key, bad.value, "t.toml:9:1");
      auto o = readOptions(c);
      REQUIRE_FALSE(o.has_value());
      const std::string message = o.error().message();
      INFO(message);
      CHECK(o.error().code() == mobisync::Errc::InvalidConfig);
      CHECK(message.find(std::string("t.toml:9:1: ") + bad.key) == 0);
      CHECK(message.find(bad.says) != std::string::npos);
    }
  }

  TEST_CASE("a long bad value is quoted as an excerpt") {
    ConfigValues c = minimal();
    c.set("encoding", std::string(5000, 'x'), "t.toml:2:1");
    auto o = readOptions(c);
    REQUIRE_FALSE(o.has_value());
    const std::string& message = o.error().message();
    CHECK(message.size() < 600);
    CHECK(message.find("(5000 bytes)\"") != std::string::npos);
  }
}
