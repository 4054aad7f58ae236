// SPDX-License-Identifier: Apache-2.0
// OdbcSource in incremental mode against a real SQLite file through the SQLite3 ODBC driver.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
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
using mobisync::plugin::Cursor;
using mobisync::plugin::testing::RecordingSink;
using mobisync::plugin::testing::TestContext;

namespace {

/// A sink that speaks the incremental protocol from `stored` (the kit's recording sink).
RecordingSink withCursor(std::optional<Cursor> stored) {
  RecordingSink sink;
  sink.stored_cursor = std::move(stored);
  return sink;
}

/// "position number (N cell)" for each rejectWithNumber() the sink saw.
std::vector<std::string> numbered(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sink.rejects.size(); ++i) {
    const auto& cells = sink.number_cells[i];
    if (cells.empty()) continue;
    out.push_back(sink.rejects[i].position + " " + cells.at(0) + " (" +
                  std::to_string(cells.size()) + " cell)");
  }
  return out;
}

/// "msisdn position" for each tombstone the sink saw.
std::vector<std::string> tombstones(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (const auto& t : sink.tombstones) out.push_back(t.msisdn + " " + t.position);
  return out;
}

bool skipWithoutSqlite() {
  std::ifstream ini("/etc/odbcinst.ini");
  std::stringstream text;
  text << ini.rdbuf();
  if (text.str().find("[SQLite3]") != std::string::npos) {
    return false;
  }
  const std::string why =
      "the SQLite3 ODBC driver is not registered in /etc/odbcinst.ini (libsqliteodbc)";
  return mobisync::test::skipForMissingPeer(why);
}

class SqliteDb {
 public:
  SqliteDb() : path_(dir_.file("crm.db")) { Poco::Data::ODBC::Connector::registerConnector(); }
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

Status run(const ConfigValues& config, RecordingSink& sink) {
  OdbcSource source;
  const TestContext context(config, "odbc", "test");
  return mobisync::plugin::testing::runSource(source, context, sink);
}

/// People with a sequence cursor: rows 1-3 at version 5, 4-5 at 7 (one deleted), 6 at 9.
ConfigValues seeded(SqliteDb& db) {
  db.exec("CREATE TABLE people (id INTEGER, phone TEXT, version INTEGER, gone INTEGER)");
  db.exec("INSERT INTO people VALUES (1, '447930000001', 5, 0), (2, '447930000002', 5, 0),"
          "(3, '447930000003', 5, 0), (4, '447930000004', 7, 1), (5, '447930000005', 7, 0),"
          "(6, '447930000006', 9, NULL)");
  ConfigValues config;
  config.set("connection_string", db.connectionString(), "");
  config.set("query",
             "SELECT id AS reference, phone AS msisdn, version, gone FROM people "
             "WHERE version >= ? ORDER BY version, id",
             "");
  config.set("batch_size", std::int64_t{2}, "");
  config.set("mode", std::string("incremental"), "t.toml:3:1");
  config.set("cursor_column", std::string("version"), "t.toml:4:1");
  config.set("cursor_type", std::string("integer"), "t.toml:5:1");
  config.set("tombstone_column", std::string("gone"), "t.toml:6:1");
  return config;
}

}  // namespace

TEST_SUITE("plugin.odbc.sqlite") {
  TEST_CASE("without a stored cursor the incremental source reads everything as a snapshot") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    RecordingSink sink;
    const Status s = run(seeded(db), sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK_FALSE(sink.incremental);
    // The deleted row is simply not wanted in a full read.
    CHECK(sink.numbers() == std::vector<std::string>{"447930000001", "447930000002", "447930000003",
                                                   "447930000005", "447930000006"});
    CHECK(tombstones(sink).empty());
    REQUIRE(sink.reported_cursor);
    CHECK(sink.reported_cursor->value == "9");
    CHECK(sink.reported_cursor->type == "integer");
  }

  TEST_CASE("rows tied with the stored cursor across batches are all read with tombstones") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    RecordingSink sink = withCursor(Cursor{"5", "integer"});
    const Status s = run(seeded(db), sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(sink.incremental);
    CHECK(sink.numbers() == std::vector<std::string>{"447930000001", "447930000002", "447930000003",
                                                   "447930000005", "447930000006"});
    CHECK(tombstones(sink) == std::vector<std::string>{"447930000004 row 4 (reference = 4)"});
    REQUIRE(sink.reported_cursor);
    CHECK(sink.reported_cursor->value == "9");
  }

  TEST_CASE("a later stored cursor reads only the rows at or after it") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    RecordingSink sink = withCursor(Cursor{"9", "integer"});
    REQUIRE(run(seeded(db), sink).isOk());
    CHECK(sink.numbers() == std::vector<std::string>{"447930000006"});
    CHECK(sink.reported_cursor->value == "9");
  }

  TEST_CASE("a stored cursor of another type makes a full read") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    RecordingSink sink = withCursor(Cursor{"2026-01-01T00:00:00.000000Z", "timestamp"});
    REQUIRE(run(seeded(db), sink).isOk());
    CHECK_FALSE(sink.incremental);
    CHECK(sink.numbers().size() == 5);
  }

  TEST_CASE("deletions query rows become tombstones") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    ConfigValues config = seeded(db);
    db.exec("CREATE TABLE removed (number TEXT, version INTEGER)");
    db.exec("INSERT INTO removed VALUES ('07930 000 010', 8), ('447930000011', 3), (NULL, 9)");
    config.set("deletions_query",
               "SELECT number AS msisdn FROM removed WHERE version >= ? ORDER BY version", "");
    RecordingSink sink = withCursor(Cursor{"7", "integer"});
    const Status s = run(config, sink);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(tombstones(sink) == std::vector<std::string>{"447930000004 row 1 (reference = 4)",
                                                      "07930 000 010 deletions_query row 1"});
    REQUIRE(sink.rejects.size() == 1);
    CHECK(sink.rejects[0].position == "deletions_query row 2");
  }

  TEST_CASE("a row whose tombstone flag cannot be read keeps its number") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    ConfigValues config = seeded(db);
    const std::string flag(300, 'x');
    db.exec("INSERT INTO people VALUES (7, '447930000007', 9, '" + flag + "'), "
            "(8, NULL, 9, 'maybe')");
    // Full and incremental reads alike: neither live nor deleted for sure, so the number is
    // protected, never removed.
    for (const std::optional<Cursor>& stored :
         {std::optional<Cursor>(), std::optional<Cursor>(Cursor{"9", "integer"})}) {
      RecordingSink sink = withCursor(stored);
      const Status s = run(config, sink);
      INFO(s.message());
      REQUIRE(s.isOk());
      CHECK(numbered(sink) ==
            std::vector<std::string>{"row " + std::string(stored ? "2" : "7") +
                                     " (reference = 7) 447930000007 (1 cell)"});
      REQUIRE(sink.rejects.size() == 2);
      CHECK(sink.rejects[0].reason == "tombstone column \"gone\" holds \"" +
                                          std::string(200, 'x') +
                                          "... (300 bytes)\" (use true/false, 1/0, yes/no or NULL)");
      // No number to point at: a plain reject.
      CHECK(sink.rejects[1].reason.find("holds \"maybe\"") != std::string::npos);
    }
  }

  TEST_CASE("a bad cursor column or value fails naming the key") {
    if (skipWithoutSqlite()) {
      return;
    }
    SqliteDb db;
    ConfigValues config = seeded(db);
    config.set("cursor_column", std::string("changed"), "t.toml:4:1");
    RecordingSink sink = withCursor(Cursor{"5", "integer"});
    Status s = run(config, sink);
    CHECK(s.message() ==
          "t.toml:4:1: cursor_column: column \"changed\" is not among the query's columns "
          "(\"reference\", \"msisdn\", \"version\", \"gone\")");
    CHECK_FALSE(sink.reported_cursor);

    db.exec("CREATE TABLE odd (phone TEXT, version TEXT)");
    db.exec("INSERT INTO odd VALUES ('447930000001', '5'), ('447930000002', 'soon')");
    config.set("cursor_column", std::string("version"), "t.toml:4:1");
    config.set("query", "SELECT phone AS msisdn, version FROM odd WHERE version >= ? ORDER BY rowid",
               "");
    config.set("tombstone_column", std::string(), "");
    RecordingSink sink2 = withCursor(Cursor{"5", "integer"});
    s = run(config, sink2);
    CHECK(s.message() == "t.toml:5:1: cursor_type: row 2: cursor column \"version\": \"soon\" is "
                         "not an integer");
    CHECK_FALSE(sink2.reported_cursor);
  }

  TEST_CASE("incremental keys are checked before anything is read") {
    ConfigValues config;
    config.set("connection_string", std::string("Driver=SQLite3;Database=x.db"), "");
    config.set("query", std::string("SELECT 1 AS msisdn"), "t.toml:2:1");
    config.set("mode", std::string("incremental"), "t.toml:3:1");
    RecordingSink sink;
    CHECK(run(config, sink).message().rfind("t.toml:3:1: mode: \"incremental\" needs "
                                            "cursor_column", 0) == 0);
    config.set("cursor_column", std::string("v"), "t.toml:4:1");
    CHECK(run(config, sink).message().rfind("cursor_type: must be", 0) == 0);
    config.set("cursor_type", std::string("integer"), "t.toml:5:1");
    CHECK(run(config, sink).message().rfind("t.toml:2:1: query: an incremental query takes the "
                                            "stored cursor as its one ? parameter", 0) == 0);
    config.set("mode", std::string("snapshot"), "t.toml:3:1");
    CHECK(run(config, sink).message() ==
          "t.toml:4:1: cursor_column: only applies with mode = \"incremental\" (t.toml:3:1: mode "
          "is \"snapshot\")");
  }
}
