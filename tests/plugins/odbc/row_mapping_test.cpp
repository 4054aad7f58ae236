// SPDX-License-Identifier: Apache-2.0
// RowMapper and the error helpers: column roles, rules, rejected rows, redaction, diagnostics.
#include <doctest/doctest.h>

#include <Poco/Data/DataException.h>

#include "odbc_errors.hpp"
#include "row_mapping.hpp"

using namespace mobisync::plugins::odbc;
using mobisync::Contact;
using mobisync::RejectedRow;

namespace {

MappingConfig basic() {
  MappingConfig c;
  c.msisdn_column = "msisdn";
  c.name_column = "name";
  c.reference_column = "reference";
  c.optional_name = true;
  c.optional_reference = true;
  return c;
}

std::vector<Cell> cells(std::initializer_list<const char*> values) {
  std::vector<Cell> out;
  for (const char* v : values) {
    out.push_back(v == nullptr ? Cell{true, ""} : Cell{false, v});
  }
  return out;
}

}  // namespace

TEST_SUITE("plugin.odbc.mapping") {
  TEST_CASE("columns are found exactly or case-insensitively and the rest become attributes") {
    RowMapper m(basic());
    REQUIRE(m.bind({"MSISDN", "name", "reference", "city"}).isOk());
    Contact c;
    RejectedRow r;
    REQUIRE(m.map(cells({" 07930 000 001 ", "Zoë", "R1", "Leeds"}), 1, c, r) ==
            RowMapper::Outcome::Contact);
    CHECK(c.msisdn == "07930 000 001");
    CHECK(c.name == "Zoë");
    CHECK(c.reference == "R1");
    REQUIRE(c.attributes.size() == 1);
    CHECK(c.attributes[0] == std::pair<std::string, std::string>{"city", "Leeds"});
    CHECK(c.position == "row 1 (reference = R1)");
  }

  TEST_CASE("a missing msisdn column names the key the column and the query's columns") {
    MappingConfig cfg = basic();
    cfg.msisdn_column = "phone";
    cfg.where_msisdn = "mobisync.toml:9:1: msisdn_column";
    RowMapper m(cfg);
    const mobisync::Status s = m.bind({"mobile", "name"});
    REQUIRE_FALSE(s.isOk());
    CHECK(s.code() == mobisync::Errc::InvalidConfig);
    CHECK(s.message() ==
          "mobisync.toml:9:1: msisdn_column: column \"phone\" is not among the query's columns "
          "(\"mobile\", \"name\")");
  }

  TEST_CASE("a default role may be absent but one set by hand must exist") {
    RowMapper lenient(basic());
    CHECK(lenient.bind({"msisdn"}).isOk());
    MappingConfig cfg = basic();
    cfg.name_column = "full_name";
    cfg.optional_name = false;
    RowMapper strict(cfg);
    const mobisync::Status s = strict.bind({"msisdn", "name"});
    CHECK(s.message().find("column \"full_name\" is not among") != std::string::npos);
  }

  TEST_CASE("a NULL msisdn is rejected with the row's reference or number") {
    RowMapper m(basic());
    REQUIRE(m.bind({"msisdn", "name", "reference"}).isOk());
    Contact c;
    RejectedRow r;
    CHECK(m.map(cells({nullptr, "Ann", "CRM-7"}), 4, c, r) == RowMapper::Outcome::Rejected);
    CHECK(r.position == "row 4 (reference = CRM-7)");
    CHECK(r.reason == "msisdn is NULL (column \"msisdn\")");
    CHECK(r.raw == "msisdn=NULL, name=Ann, reference=CRM-7");
    CHECK(m.map(cells({"  ", "Bob", nullptr}), 5, c, r) == RowMapper::Outcome::Rejected);
    CHECK(r.position == "row 5");
    CHECK(r.reason == "msisdn is empty (column \"msisdn\")");
  }

  TEST_CASE("application rules pick tokens skip rows or reject unmatched values") {
    std::string error;
    auto gold = parseRule("gold => contacts:42, recurring:7", error);
    auto bronze = parseRule("bronze =>", error);
    REQUIRE(gold);
    REQUIRE(bronze);
    CHECK(gold->tokens == std::vector<std::string>{"contacts:42", "recurring:7"});
    CHECK(bronze->tokens.empty());
    CHECK_FALSE(parseRule("gold contacts:42", error));
    CHECK(error.find("=>") != std::string::npos);
    CHECK_FALSE(parseRule(" => contacts:1", error));

    MappingConfig cfg = basic();
    cfg.rule_column = "tier";
    cfg.rules = {*gold, *bronze};
    RowMapper m(cfg);
    REQUIRE(m.bind({"msisdn", "tier"}).isOk());
    Contact c;
    RejectedRow r;
    CHECK(m.map(cells({"447930000001", "gold"}), 1, c, r) == RowMapper::Outcome::Contact);
    CHECK(c.applications == std::vector<std::string>{"contacts:42", "recurring:7"});
    CHECK(c.attributes.empty());
    CHECK(m.map(cells({"447930000002", "bronze"}), 2, c, r) == RowMapper::Outcome::Skipped);
    CHECK(m.map(cells({"447930000003", "tin"}), 3, c, r) == RowMapper::Outcome::Rejected);
    CHECK(r.reason == "no application rule matches tier = \"tin\"");

    cfg.rules.push_back(*parseRule("* => contacts:1", error));
    RowMapper any(cfg);
    REQUIRE(any.bind({"msisdn", "tier"}).isOk());
    CHECK(any.map(cells({"447930000003", nullptr}), 3, c, r) == RowMapper::Outcome::Contact);
    CHECK(c.applications == std::vector<std::string>{"contacts:1"});
  }

  TEST_CASE("a rejected row points at its number cell only when that cell holds something") {
    std::string error;
    MappingConfig cfg = basic();
    cfg.rule_column = "tier";
    cfg.rules = {*parseRule("gold => contacts:42", error)};
    RowMapper m(cfg);
    REQUIRE(m.bind({"reference", "tier", "msisdn"}).isOk());
    CHECK(m.numberColumn() == 2);
    Contact c;
    RejectedRow r;
    // Wrong elsewhere: the number cell, as found, so the engine keeps its subscriptions.
    const auto tin = cells({"C3", "tin", " 07930 000 003 "});
    REQUIRE(m.map(tin, 3, c, r) == RowMapper::Outcome::Rejected);
    CHECK(m.numberCell(tin) == std::optional<std::string>(" 07930 000 003 "));
    // Wrong in the number itself: nothing to point at.
    for (const auto& row : {cells({"C4", "gold", nullptr}), cells({"C5", "tin", " \t"})}) {
      REQUIRE(m.map(row, 4, c, r) == RowMapper::Outcome::Rejected);
      CHECK_FALSE(m.numberCell(row));
    }
  }

  TEST_CASE("a rejection quotes at most an excerpt of a cell") {
    std::string error;
    MappingConfig cfg = basic();
    cfg.rule_column = "tier";
    cfg.rules = {*parseRule("gold => contacts:42", error)};
    RowMapper m(cfg);
    REQUIRE(m.bind({"msisdn", "tier", "reference"}).isOk());
    const std::string tier(5000, 't');
    const std::string reference(3000, 'r');
    Contact c;
    RejectedRow r;
    REQUIRE(m.map(cells({"447930000001", tier.c_str(), reference.c_str()}), 1, c, r) ==
            RowMapper::Outcome::Rejected);
    CHECK(r.reason == "no application rule matches tier = \"" + std::string(200, 't') +
                          "... (5000 bytes)\"");
    CHECK(r.position == "row 1 (reference = " + std::string(200, 'r') + "... (3000 bytes))");
  }

  TEST_CASE("the applications column is split trimmed and de-duplicated") {
    MappingConfig cfg = basic();
    cfg.applications_column = "apps";
    cfg.applications_separator = "|";
    cfg.attributes_set = true;
    RowMapper m(cfg);
    REQUIRE(m.bind({"msisdn", "apps", "other"}).isOk());
    Contact c;
    RejectedRow r;
    REQUIRE(m.map(cells({"447930000001", " a:1 | b:2 || a:1 "}), 1, c, r) ==
            RowMapper::Outcome::Contact);
    CHECK(c.applications == std::vector<std::string>{"a:1", "b:2"});
    CHECK(c.attributes.empty());  // attributes = [] keeps none
  }
}

TEST_SUITE("plugin.odbc.errors") {
  TEST_CASE("passwords leave connection strings and messages") {
    CHECK(withoutPassword("Driver={PostgreSQL Unicode};Server=db;PWD={se;cret};Uid=app") ==
          "Driver={PostgreSQL Unicode};Server=db;Uid=app");
    CHECK(withoutPassword("DSN=crm;Password=x") == "DSN=crm");
    CHECK(redact("FATAL: password hunter2 wrong, hunter2", "hunter2") ==
          "FATAL: password *** wrong, ***");
    CHECK(redact("unchanged", "") == "unchanged");
  }

  TEST_CASE("SQLSTATE and the driver's message are read from Poco's formatted text") {
    const Poco::Data::ConnectionFailedException e(
        "Connection:\nServer:\n===========================\nODBC Diagnostic record #1:\n"
        "===========================\nSQLSTATE = 08001\nNative Error Code = 101\n"
        "could not connect to server: Connection refused\n\n");
    const Diagnostic d = diagnose(e);
    CHECK(d.sqlstate == "08001");
    CHECK(d.message == "could not connect to server: Connection refused");
    CHECK(isConnectionLoss(d));
    CHECK_FALSE(isConnectionLoss(Diagnostic{"42703", "column does not exist"}));
    CHECK_FALSE(isConnectionLoss(
        Diagnostic{"08001", "FATAL:  password authentication failed for user \"app\""}));
  }
}
