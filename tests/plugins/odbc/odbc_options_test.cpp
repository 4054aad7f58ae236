// SPDX-License-Identifier: Apache-2.0
// odbc readOptions(): the connection string it builds, defaults, and errors that name the key.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "odbc_options.hpp"

using mobisync::plugin::ConfigValues;
using namespace mobisync::plugins::odbc;

namespace {

ConfigValues minimal() {
  ConfigValues c;
  c.set("dsn", std::string("crm"), "t.toml:1:1");
  c.set("query", std::string("SELECT msisdn FROM people"), "t.toml:2:1");
  return c;
}

std::string errorOf(const ConfigValues& c) {
  auto o = readOptions(c);
  REQUIRE_FALSE(o.has_value());
  CHECK(o.error().code() == mobisync::Errc::InvalidConfig);
  return o.error().message();
}

}  // namespace

TEST_SUITE("plugin.odbc.options") {
  TEST_CASE("a DSN with defaults") {
    auto o = readOptions(minimal());
    REQUIRE(o.has_value());
    CHECK(o->connection_string == "DSN=crm");
    CHECK(o->label == "DSN crm");
    CHECK(o->batch_size == 1000);
    CHECK(o->login_timeout == 30);
    CHECK(o->mapping.msisdn_column == kDefaultMsisdnColumn);
    CHECK(o->mapping.optional_name);
    CHECK_FALSE(o->incremental.enabled);
    CHECK(o->mapping.reserved_columns.empty());
  }

  TEST_CASE("user and password are appended braced when they need it, and kept out of the label") {
    ConfigValues c = minimal();
    c.set("dsn", std::string("my crm"), "t.toml:1:1");
    c.set("username", std::string("sync"), "t.toml:3:1");
    c.set("password", std::string("a}b"), "t.toml:4:1");
    auto o = readOptions(c);
    REQUIRE(o.has_value());
    CHECK(o->connection_string == "DSN={my crm};UID=sync;PWD={a}}b}");
    CHECK(o->label == "DSN my crm");
    CHECK(o->password == "a}b");
  }

  TEST_CASE("incremental mode reserves the cursor and tombstone columns") {
    ConfigValues c = minimal();
    c.set("query", std::string("SELECT * FROM people WHERE updated_at >= ?"), "t.toml:2:1");
    c.set("mode", std::string("incremental"), "t.toml:3:1");
    c.set("cursor_column", std::string("updated_at"), "t.toml:4:1");
    c.set("cursor_type", std::string("timestamp"), "t.toml:5:1");
    c.set("tombstone_column", std::string("deleted"), "t.toml:6:1");
    auto o = readOptions(c);
    REQUIRE(o.has_value());
    CHECK(o->incremental.enabled);
    CHECK(o->incremental.cursor_type == CursorType::Timestamp);
    CHECK(o->incremental.where_cursor_type == "t.toml:5:1: cursor_type");
    CHECK(o->mapping.reserved_columns == std::vector<std::string>{"updated_at", "deleted"});
  }

  TEST_CASE("bad values name the key and where it was written") {
    ConfigValues c = minimal();
    std::string key;
    std::string says;
    SUBCASE("batch size out of range") {
      c.set("batch_size", std::int64_t{0}, "t.toml:3:1");
      key = "batch_size";
      says = "must be 1 to 1000000, got 0";
    }
    SUBCASE("unknown mode") {
      c.set("mode", std::string("sometimes"), "t.toml:3:1");
      key = "mode";
      says = "got \"sometimes\"";
    }
    SUBCASE("an incremental key in snapshot mode") {
      c.set("cursor_column", std::string("updated_at"), "t.toml:3:1");
      key = "cursor_column";
      says = "only applies with mode = \"incremental\"";
    }
    SUBCASE("a rule value twice") {
      c.set("rule_column", std::string("plan"), "t.toml:3:1");
      c.set("application_rules", std::vector<std::string>{"gold => a:1", "gold => b:2"},
            "t.toml:4:1");
      key = "application_rules";
      says = "value \"gold\" has two rules";
    }
    SUBCASE("an incremental query without its parameter") {
      c.set("mode", std::string("incremental"), "t.toml:3:1");
      c.set("cursor_column", std::string("updated_at"), "t.toml:4:1");
      c.set("cursor_type", std::string("integer"), "t.toml:5:1");
      key = "query";
      says = "found 0";
    }
    const std::string message = errorOf(c);
    INFO(message);
    CHECK(message.find("t.toml:") == 0);
    CHECK(message.find(key) != std::string::npos);
    CHECK(message.find(says) != std::string::npos);
  }
}
