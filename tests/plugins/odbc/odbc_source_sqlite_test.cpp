// SPDX-License-Identifier: Apache-2.0
// OdbcSource against a real SQLite file through the SQLite3 ODBC driver: types, batches, errors.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <Poco/Data/ODBC/Connector.h>
#include <Poco/Data/Session.h>

#include "mobisync/plugin/testing.hpp"
#include "odbc_source.hpp"
#include "support/missing_peer.hpp"
#include "support/temp_dir.hpp"

using namespace mobisync::plugins::odbc;
using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::testing::RecordingSink;
using mobisync::plugin::testing::TestContext;

namespace {

/// The rejects that pointed at their number: position and number cells.
std::vector<std::pair<std::string, std::vector<std::string>>> numbered(const RecordingSink& sink) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (std::size_t i = 0; i < sink.rejects.size(); ++i) {
    if (!sink.number_cells[i].empty()) {
      out.emplace_back(sink.rejects[i].position, sink.number_cells[i]);
    }
  }
  return out;
}

// Why the SQLite3 ODBC driver cannot be used here, or "".
std::string sqliteUnavailable() {
  std::ifstream ini("/etc/odbcinst.ini");
  std::stringstream text;
  text << ini.rdbuf();
  if (text.str().find("[SQLite3]") == std::string::npos) {
    return "the SQLite3 ODBC driver is not registered in /etc/odbcinst.ini (libsqliteodbc)";
  }
  return "";
}

bool skipWithoutSqlite() {
  const std::string why = sqliteUnavailable();
  if (why.empty()) {
    return false;
  }
  return mobisync::test::skipForMissingPeer(why);
}

/// A SQLite database file made through the same driver the source reads it with.
class SqliteDb {
 public:
  SqliteDb() : path_(dir_.file("crm.db")) {
    Poco::Data::ODBC::Connector::registerConnector();
  }
  ~SqliteDb() { Poco::Data::ODBC::Connector::unregisterConnector(); }
  std::string connectionString() const { return "Driver=SQLite3;Database=" + path_; }
  void exec(const std::string& sql) {
    Poco::Data::Session s("ODBC", connectionString());
    s << sql, Poco::Data::Keywords::now;
  }

 private:
  mobisync::test::TempDir dir_;
  std::string path_;
};

/// init, fetch and shutdown with `config`; `log` (when given) gets what the source logged.
Status run(const ConfigValues& config, RecordingSink& sink,
           std::vector<std::string>* log = nullptr) {
  OdbcSource source;
  const TestContext context(config, "odbc", "test");
  const Status s = mobisync::plugin::testing::runSource(source, context, sink);
  if (log != nullptr) {
    *log = context.log().texts();
  }
  return s;
}

}  // namespace

TEST_SUITE("plugin.odbc.sqlite") {
  TEST_CASE("integers text with spaces NULLs and UTF-8 names across batch boundaries") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE people (id INTEGER, phone BIGINT, mobile TEXT, name TEXT, city TEXT)");
    db.exec("INSERT INTO people VALUES (1, 447930000001, NULL, 'Zoë Ångström', 'Leeds'),"
            "(2, NULL, '07930 000 002', 'Ann', 'York'),"
            "(3, NULL, NULL, 'Nobody', NULL),"
            "(4, 447930000004, NULL, '李小龙', 'Hull'),"
            "(5, 447930000005, NULL, 'Eve', NULL)");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query",
               "SELECT id AS reference, COALESCE(CAST(phone AS TEXT), mobile) AS msisdn, name, "
               "city FROM people ORDER BY id",
               "");
    config.set("batch_size", std::int64_t{2}, "");
    RecordingSink sink;
    const Status s = run(config, sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    REQUIRE(sink.contacts.size() == 4);
    CHECK(sink.contacts[0].msisdn == "447930000001");
    CHECK(sink.contacts[0].name == "Zoë Ångström");
    CHECK(sink.contacts[0].reference == "1");
    CHECK(sink.contacts[0].attributes ==
          std::vector<std::pair<std::string, std::string>>{{"city", "Leeds"}});
    CHECK(sink.contacts[1].msisdn == "07930 000 002");
    CHECK(sink.contacts[2].name == "李小龙");
    CHECK(sink.contacts[3].msisdn == "447930000005");
    CHECK(sink.contacts[3].attributes[0].second.empty());
    REQUIRE(sink.rejects.size() == 1);
    CHECK(sink.rejects[0].position == "row 3 (reference = 3)");
    CHECK(sink.rejects[0].reason.find("NULL") != std::string::npos);
  }

  TEST_CASE("a row rejected for another cell points at its number and one without a number "
            "does not") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE people (id INTEGER, phone TEXT, tier TEXT)");
    db.exec("INSERT INTO people VALUES (1, '447930000001', 'gold'), (2, ' 07930 000 002', 'tin'),"
            "(3, NULL, 'tin'), (4, '   ', 'gold')");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT id AS reference, phone AS msisdn, tier FROM people ORDER BY id",
               "");
    config.set("rule_column", std::string("tier"), "");
    config.set("application_rules", std::vector<std::string>{"gold => contacts:42"}, "");
    RecordingSink sink;
    const Status s = run(config, sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    REQUIRE(sink.contacts.size() == 1);
    REQUIRE(sink.rejects.size() == 3);
    // Only the row whose number was read protects it, with the cell as found.
    CHECK(numbered(sink) == std::vector<std::pair<std::string, std::vector<std::string>>>{
                               {"row 2 (reference = 2)", {" 07930 000 002"}}});
    CHECK(sink.rejects[0].reason == "no application rule matches tier = \"tin\"");
    CHECK(sink.rejects[1].reason == "msisdn is NULL (column \"msisdn\")");
    CHECK(sink.rejects[2].reason == "msisdn is empty (column \"msisdn\")");
  }

  TEST_CASE("SQLite reads in one transaction at the level it offers") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (msisdn TEXT)");
    db.exec("INSERT INTO t VALUES ('447930000001'), ('447930000002')");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT msisdn FROM t", "");
    RecordingSink sink;
    std::vector<std::string> lines;
    const Status s = run(config, sink, &lines);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(sink.contacts.size() == 2);
    std::string log;
    for (const std::string& line : lines) {
      log += line + "\n";
    }
    INFO(log);
    CHECK(log.find("reading in one read-only transaction at SERIALIZABLE") != std::string::npos);
    CHECK(log.find("is not one snapshot") == std::string::npos);
    // The transaction ended: another connection can write at once.
    db.exec("INSERT INTO t VALUES ('447930000003')");
  }

  TEST_CASE("a BIGINT msisdn column reads as its digits") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (msisdn BIGINT, price DECIMAL(12,2))");
    db.exec("INSERT INTO t VALUES (447930000001, 1.5)");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT msisdn, price FROM t", "");
    RecordingSink sink;
    REQUIRE(run(config, sink).isOk());
    REQUIRE(sink.contacts.size() == 1);
    CHECK(sink.contacts[0].msisdn == "447930000001");
  }

  TEST_CASE("a value longer than its column buffer is read whole") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (msisdn TEXT, name VARCHAR(20), note TEXT)");
    // 3,000 characters of two bytes each, far past the 1 KiB a bound cell holds.
    std::string long_name;
    for (int i = 0; i < 3000; ++i) {
      long_name += "\xC3\xA9";
    }
    long_name += "!";
    db.exec("INSERT INTO t VALUES ('447930000001', 'Ann', 'short'), ('447930000002', '" +
            long_name + "', 'after'), ('447930000003', 'Eve', NULL)");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT msisdn, name, note FROM t ORDER BY msisdn", "");
    config.set("batch_size", std::int64_t{2}, "");
    RecordingSink sink;
    const Status s = run(config, sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(sink.rejects.empty());
    REQUIRE(sink.contacts.size() == 3);
    CHECK(sink.contacts[0].name == "Ann");
    CHECK(sink.contacts[1].name == long_name);
    CHECK(sink.contacts[1].attributes[0].second == "after");
    CHECK(sink.contacts[2].name == "Eve");
  }

  TEST_CASE("REAL and DECIMAL numbers holding whole values read as their digits") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (id INTEGER, phone REAL, amount DECIMAL(15,2))");
    db.exec("INSERT INTO t VALUES (1, 447930000001.0, 2.5), (2, 447930000002.5, NULL)");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT id AS reference, phone AS msisdn, amount FROM t ORDER BY id", "");
    RecordingSink sink;
    REQUIRE(run(config, sink).isOk());
    REQUIRE(sink.contacts.size() == 2);
    CHECK(sink.contacts[0].msisdn == "447930000001");
    CHECK(sink.contacts[0].attributes[0].second == "2.5");
    // A fraction keeps its text so the engine rejects the number rather than rounding it.
    CHECK(sink.contacts[1].msisdn == "447930000002.5");
    CHECK(sink.contacts[1].attributes[0].second.empty());
  }

  TEST_CASE("an empty result is a complete read of zero contacts") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (msisdn TEXT)");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT msisdn FROM t", "");
    RecordingSink sink;
    CHECK(run(config, sink).isOk());
    CHECK(sink.contacts.empty());
  }

  TEST_CASE("a wrong column name lists the query's columns") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    db.exec("CREATE TABLE t (mobile TEXT, full_name TEXT)");
    db.exec("INSERT INTO t VALUES ('447930000001', 'Ann')");
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT mobile, full_name FROM t", "");
    RecordingSink sink;
    const Status s = run(config, sink);
    CHECK(s.code() == mobisync::Errc::InvalidConfig);
    CHECK(s.message() ==
          "msisdn_column: column \"msisdn\" is not among the query's columns (\"mobile\", "
          "\"full_name\")");
    CHECK(sink.contacts.empty());
  }

  TEST_CASE("a bad query fails with the SQLSTATE and the driver's message") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    ConfigValues config;
    config.set("connection_string", db.connectionString(), "");
    config.set("query", "SELECT msisdn FROM no_such_table", "");
    RecordingSink sink;
    const Status s = run(config, sink);
    REQUIRE_FALSE(s.isOk());
    CHECK(s.message().find("odbc: Driver=SQLite3;Database=") == 0);
    CHECK(s.message().find("SQLSTATE") != std::string::npos);
    CHECK(s.message().find("no_such_table") != std::string::npos);
  }
}

TEST_SUITE("plugin.odbc.config") {
  TEST_CASE("exactly one of dsn and connection_string") {
    ConfigValues both;
    both.set("dsn", std::string("crm"), "");
    both.set("connection_string", std::string("Driver=SQLite3"), "");
    both.set("query", std::string("SELECT 1"), "");
    RecordingSink sink;
    CHECK(run(both, sink).code() == mobisync::Errc::InvalidConfig);
    ConfigValues neither;
    neither.set("query", std::string("SELECT 1"), "");
    CHECK(run(neither, sink).message().find("set exactly one of dsn") != std::string::npos);
  }

  TEST_CASE("the password is appended but never shown and an inline one is refused") {
    ConfigValues config;
    config.set("connection_string",
               std::string("Driver={PostgreSQL Unicode};Server=127.0.0.1;Database=crm;"), "");
    config.set("password", std::string("s3cr;et"), "");
    config.set("query", std::string("SELECT 1"), "");
    OdbcSource source;
    const TestContext context(config, "odbc", "test");
    REQUIRE(source.init(context).isOk());
    CHECK(source.connectionString().find("PWD={s3cr;et}") != std::string::npos);
    CHECK(source.connectionString().find("UseDeclareFetch=1;Fetch=1000") != std::string::npos);
    CHECK(source.label() == "Driver={PostgreSQL Unicode};Server=127.0.0.1;Database=crm");
    source.shutdown();

    ConfigValues inline_pwd;
    inline_pwd.set("connection_string", std::string("DSN=crm;PWD=x"), "");
    inline_pwd.set("password", std::string("y"), "");
    inline_pwd.set("query", std::string("SELECT 1"), "");
    RecordingSink sink;
    CHECK(run(inline_pwd, sink).message().find("holds a password") != std::string::npos);
  }

  TEST_CASE("rules need their column and batch_size must be positive") {
    ConfigValues config;
    config.set("dsn", std::string("crm"), "");
    config.set("query", std::string("SELECT 1"), "");
    config.set("application_rules", std::vector<std::string>{"gold => contacts:42"}, "");
    RecordingSink sink;
    CHECK(run(config, sink).message().find("go together") != std::string::npos);
    config.set("rule_column", std::string("tier"), "");
    config.set("batch_size", std::int64_t{0}, "");
    CHECK(run(config, sink).message().find("batch_size: must be 1 to") != std::string::npos);
  }
}
