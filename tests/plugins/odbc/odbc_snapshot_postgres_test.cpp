// SPDX-License-Identifier: Apache-2.0
// OdbcSource reads one snapshot on PostgreSQL through psqlODBC while another session writes.
//
// PostgreSQL gives a single plain SELECT one snapshot at any isolation level, so what the read's
// REPEATABLE READ transaction adds there is one snapshot across statements: across the main
// query and the deletions query, and across the queries a VOLATILE function runs for each row
// (at READ COMMITTED each of those takes a fresh snapshot). The writer commits from inside the
// sink while the source is mid-read, so the interleaving is fixed, not timed.
#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "postgres_odbc.hpp"

using namespace mobisync::plugins::odbc;
using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::Cursor;
using mobisync::plugin::testing::RecordingSink;
using mobisync::test::PostgresProcess;
using mobisync::plugins::odbc::testing::run;
using mobisync::plugins::odbc::testing::skipWithoutPostgres;

namespace {

constexpr int kRows = 50'000;
// The writer commits when this many contacts have been handed over: well inside the read.
constexpr std::size_t kWriteAfter = 1'000;

/// Makes `sink` run `write` once, from inside accept(), after kWriteAfter contacts, and answer
/// storedCursor() with `stored`.
void writeAfter(RecordingSink& sink, std::function<void()> write,
                std::optional<Cursor> stored = std::nullopt) {
  sink.stored_cursor = std::move(stored);
  sink.on_accept = [&sink, write = std::move(write)](const mobisync::Contact&) {
    if (sink.accepted == kWriteAfter) {
      write();
    }
    return Status::ok();
  };
}

/// The numbers the sink kept, as a set.
std::set<std::string> numberSet(const RecordingSink& sink) {
  const std::vector<std::string> numbers = sink.numbers();
  return std::set<std::string>(numbers.begin(), numbers.end());
}

ConfigValues connectTo(PostgresProcess& pg) {
  ConfigValues config;
  config.set("connection_string", pg.odbcConnectionString(), "");
  config.set("password", pg.password(), "");
  // Small batches: the read is many round trips, the writer commits between two of them.
  config.set("batch_size", std::int64_t{100}, "");
  return config;
}

bool logged(const std::vector<std::string>& log, const std::string& part) {
  for (const std::string& line : log) {
    if (line.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string phone(int i) {
  std::string digits = std::to_string(i);
  return "4479" + std::string(8 - digits.size(), '0') + digits;
}

}  // namespace

TEST_SUITE("plugin.odbc.postgres") {
  TEST_CASE("a snapshot read returns the rows of one snapshot while another session writes") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    pg.sql("CREATE TABLE people (id INT PRIMARY KEY, phone TEXT, full_name TEXT)");
    pg.sql("INSERT INTO people SELECT g, '4479' || lpad(g::text, 8, '0'), 'P' || g "
           "FROM generate_series(1, " + std::to_string(kRows) + ") AS g");
    // A per-row lookup through a VOLATILE function, as views over functions do: each call runs
    // a query of its own.
    pg.sql("CREATE FUNCTION person(i INT) RETURNS TABLE (phone TEXT, full_name TEXT) "
           "LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN QUERY "
           "SELECT p.phone, p.full_name FROM people p WHERE p.id = i; END $$");
    std::set<std::string> before;
    for (int i = 1; i <= kRows; ++i) {
      before.insert(phone(i));
    }

    ConfigValues config = connectTo(pg);
    config.set("query",
               "SELECT g AS reference, p.phone AS msisdn, p.full_name AS name "
               "FROM generate_series(1, " + std::to_string(kRows) + ") AS g "
               "CROSS JOIN LATERAL person(g) AS p",
               "");
    bool wrote = false;
    RecordingSink sink;
    writeAfter(sink, [&] {
      // Another session removes the last 5,000 people and adds 3,000, in one commit.
      pg.sql("DELETE FROM people WHERE id > 45000; INSERT INTO people SELECT g, "
             "'4478' || lpad(g::text, 8, '0'), 'New' || g FROM generate_series(60001, 63000) g");
      wrote = true;
    });
    std::vector<std::string> log;
    const Status s = run(config, sink, &log);
    INFO(s.message());
    REQUIRE(s.isOk());
    REQUIRE(wrote);
    CHECK(pg.sql("SELECT count(*) FROM people") == "48000\n");
    // Every row of the snapshot before the writer's commit, and nothing after it.
    CHECK(sink.accepted == before.size());
    CHECK(numberSet(sink) == before);
    CHECK(sink.rejects.empty());
    CHECK(logged(log, "reading in one read-only transaction at REPEATABLE READ"));
  }

  TEST_CASE("an incremental read sees rows and tombstones of one snapshot") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    pg.sql("CREATE TABLE people (id SERIAL PRIMARY KEY, phone TEXT, version BIGINT)");
    pg.sql("CREATE TABLE removed (phone TEXT, version BIGINT)");
    pg.sql("INSERT INTO people (phone, version) SELECT '4479' || lpad(g::text, 8, '0'), 10 "
           "FROM generate_series(1, " + std::to_string(kRows) + ") AS g");
    // Unchanged since the stored cursor, so the main query does not return it.
    const std::string moved = "447800000001";
    pg.sql("INSERT INTO people (phone, version) VALUES ('" + moved + "', 1)");

    ConfigValues config = connectTo(pg);
    config.set("mode", std::string("incremental"), "");
    config.set("cursor_column", std::string("version"), "");
    config.set("cursor_type", std::string("integer"), "");
    config.set("query",
               "SELECT phone AS msisdn, version FROM people WHERE version >= ? ORDER BY id", "");
    config.set("deletions_query", "SELECT phone AS msisdn FROM removed WHERE version >= ?", "");
    RecordingSink sink;
    writeAfter(
        sink,
        [&] {
          // The CRM re-creates the person's row: the old row goes with a tombstone, a new row
          // takes the same number, in one commit. Read wholly before or wholly after, the
          // number stays; half and half, it would be tombstoned without its live row.
          pg.sql("DELETE FROM people WHERE phone = '" + moved + "'; INSERT INTO removed VALUES ('" +
                 moved + "', 20); INSERT INTO people (phone, version) VALUES ('" + moved +
                 "', 20)");
        },
        Cursor{"5", "integer"});
    std::vector<std::string> log;
    const Status s = run(config, sink, &log);
    INFO(s.message());
    REQUIRE(s.isOk());
    CHECK(sink.accepted == static_cast<std::size_t>(kRows));
    CHECK(numberSet(sink).count(moved) == 0);
    CHECK(sink.tombstones.empty());
    REQUIRE(sink.reported_cursor);
    // The next run reads the new row (and its tombstone, where the live row wins).
    CHECK(sink.reported_cursor->value == "10");
    CHECK(logged(log, "reading in one read-only transaction at REPEATABLE READ"));
  }

  TEST_CASE("the read cannot write") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    pg.sql("CREATE TABLE people (phone TEXT)");
    pg.sql("INSERT INTO people VALUES ('447930000001')");
    pg.sql("CREATE FUNCTION stamp() RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
           "INSERT INTO people VALUES ('447930000002'); RETURN 'x'; END $$");
    ConfigValues config = connectTo(pg);
    config.set("query", "SELECT phone AS msisdn, stamp() AS note FROM people", "");
    RecordingSink sink;
    const Status s = run(config, sink);
    CHECK_FALSE(s.isOk());
    CHECK(s.message().find("read-only transaction") != std::string::npos);
    CHECK(pg.sql("SELECT count(*) FROM people") == "1\n");
  }
}
