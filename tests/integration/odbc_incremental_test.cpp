// SPDX-License-Identifier: Apache-2.0
// Incremental reads end to end: PostgreSQL through psqlODBC, the mobisync binary, the simulator.
#include <doctest/doctest.h>

#include "odbc_workspace.hpp"

using mobisync::test::OdbcWorkspace;
using mobisync::test::PostgresProcess;
using mobisync::test::skipWithoutPostgres;

namespace {

const char* kChangesQuery =
    "SELECT phone AS msisdn, full_name AS name, id AS reference, deleted, updated_at "
    "FROM customers WHERE updated_at >= ? ORDER BY updated_at, id";

const char* kIncremental =
    "mode = \"incremental\"\ncursor_column = \"updated_at\"\ncursor_type = \"timestamp\"\n"
    "tombstone_column = \"deleted\"\n";

void createCustomers(PostgresProcess& pg) {
  pg.sql("CREATE TABLE customers (id INT PRIMARY KEY, phone BIGINT, full_name TEXT, "
         "deleted BOOLEAN NOT NULL DEFAULT false, updated_at TIMESTAMPTZ NOT NULL)");
  // Neither the server's nor the client's time zone is UTC: cursors must compare as instants.
  pg.sql("ALTER DATABASE " + pg.database() + " SET timezone TO 'America/New_York'");
}

}  // namespace

TEST_SUITE("integration.odbc") {
  TEST_CASE("postgres incremental runs apply ties edits and tombstones and a third run makes none") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    createCustomers(pg);
    pg.sql("INSERT INTO customers (id, phone, full_name, updated_at) SELECT i, 447930000000 + i, "
           "'P' || i, '2026-01-01 10:00:00+00' FROM generate_series(1, 6) i");
    OdbcWorkspace w(pg, kChangesQuery, kIncremental);
    w.setEnv("TZ", "Asia/Kolkata");
    auto first = w.run({"sync"});
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(w.newRequests().size() == 6);

    // Two renames tied with the stored cursor (10:00 UTC, written as 12:00+02); three inserts,
    // one tombstone and one more rename at 11:00 UTC (written as 06:00-05, which sorts before
    // 10:00 as text); one row deleted outright, which only a full refresh can see. The 10:00
    // rows (1, 2, 5, 6) span two batches of three.
    pg.sql("UPDATE customers SET full_name = 'Ann', updated_at = '2026-01-01 12:00:00+02' "
           "WHERE id = 1");
    pg.sql("UPDATE customers SET full_name = 'Bo', updated_at = '2026-01-01 12:00:00+02' "
           "WHERE id = 2");
    pg.sql("INSERT INTO customers (id, phone, full_name, updated_at) SELECT i, 447930000000 + i, "
           "'P' || i, '2026-01-01 06:00:00-05' FROM generate_series(7, 9) i");
    pg.sql("UPDATE customers SET deleted = true, updated_at = '2026-01-01 06:00:00-05' "
           "WHERE id = 3");
    pg.sql("DELETE FROM customers WHERE id = 4");
    auto second = w.run({"sync", "--force"});
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{
                                 "create 447930000001 contacts:42 Ann",
                                 "create 447930000002 contacts:42 Bo",
                                 "create 447930000007 contacts:42 P7",
                                 "create 447930000008 contacts:42 P8",
                                 "create 447930000009 contacts:42 P9",
                                 "delete 447930000003 contacts:42",
                             });

    auto third = w.run({"sync"});
    INFO(third.out << third.err);
    REQUIRE(third.exit_code == 0);
    CHECK(w.newRequests().empty());
    CHECK(w.sim().subscriptions().count("447930000004") == 1);

    // The row deleted without a tombstone goes only when everything is read again.
    auto refresh = w.run({"sync", "--full-refresh", "--force"});
    INFO(refresh.out << refresh.err);
    REQUIRE(refresh.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{"delete 447930000004 contacts:42"});
    auto last = w.run({"sync"});
    REQUIRE(last.exit_code == 0);
    CHECK(w.newRequests().empty());
    CHECK(w.sim().subscriptions().size() == 7);  // 1, 2 and 5 to 9
  }

  TEST_CASE("postgres incremental changes are read again after a run the provider failed") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    createCustomers(pg);
    pg.sql("INSERT INTO customers (id, phone, full_name, updated_at) VALUES "
           "(1, 447930000001, 'Ann', '2026-01-01 10:00:00+00')");
    OdbcWorkspace w(pg, kChangesQuery, kIncremental);
    w.replaceInConfig("\n[state]", "max_attempts = 1\n\n[state]");
    REQUIRE(w.run({"sync"}).exit_code == 0);
    CHECK(w.newRequests().size() == 1);

    // Two changes at different cursor values: had the failed run stored the higher one, the
    // next run would read only the second.
    pg.sql("INSERT INTO customers (id, phone, full_name, updated_at) VALUES "
           "(2, 447930000002, 'Bo', '2026-01-01 11:00:00+00'), "
           "(3, 447930000003, 'Cy', '2026-01-01 12:00:00+00')");
    w.sim().post("/_sim/faults?error_rate=1");
    auto failed = w.run({"sync"});
    INFO(failed.out << failed.err);
    CHECK(failed.exit_code == 69);
    CHECK(w.newRequests().empty());

    w.sim().post("/_sim/faults?error_rate=0");
    auto again = w.run({"sync"});
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{"create 447930000002 contacts:42 Bo",
                                                      "create 447930000003 contacts:42 Cy"});
    CHECK(w.run({"sync"}).exit_code == 0);
    CHECK(w.newRequests().empty());
  }

  TEST_CASE("postgres deletions query tombstones numbers whose rows were deleted") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    pg.sql("CREATE TABLE customers (id INT PRIMARY KEY, phone BIGINT, version BIGINT NOT NULL)");
    pg.sql("CREATE TABLE removed (phone BIGINT, version BIGINT NOT NULL)");
    pg.sql("INSERT INTO customers SELECT i, 447930000000 + i, i FROM generate_series(1, 4) i");
    OdbcWorkspace w(pg, "SELECT phone AS msisdn, version FROM customers WHERE version >= ?",
                    "mode = \"incremental\"\ncursor_column = \"version\"\n"
                    "cursor_type = \"integer\"\ndeletions_query = \"SELECT phone AS msisdn "
                    "FROM removed WHERE version >= ?\"\n");
    REQUIRE(w.run({"sync"}).exit_code == 0);
    CHECK(w.newRequests().size() == 4);
    pg.sql("DELETE FROM customers WHERE id = 2");
    pg.sql("INSERT INTO removed VALUES (447930000002, 5)");
    pg.sql("INSERT INTO customers VALUES (5, 447930000005, 6)");
    auto second = w.run({"sync", "--force"});
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(w.newRequests() == std::vector<std::string>{"create 447930000005 contacts:42",
                                                      "delete 447930000002 contacts:42"});
    CHECK(w.run({"sync"}).exit_code == 0);
    CHECK(w.newRequests().empty());
  }

  TEST_CASE("postgres wrong cursor column lists the query's columns and changes nothing") {
    if (skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    createCustomers(pg);
    pg.sql("INSERT INTO customers (id, phone, full_name, updated_at) VALUES "
           "(1, 447930000001, 'Ann', '2026-01-01 10:00:00+00')");
    OdbcWorkspace w(pg, kChangesQuery,
                    "mode = \"incremental\"\ncursor_column = \"changed_at\"\n"
                    "cursor_type = \"timestamp\"\n");
    auto r = w.run({"sync"});
    const std::string all = r.out + r.err;
    INFO(all);
    CHECK(r.exit_code != 0);
    CHECK(all.find("cursor_column: column \"changed_at\" is not among the query's columns "
                   "(\"msisdn\", \"name\", \"reference\", \"deleted\", \"updated_at\")") !=
          std::string::npos);
    CHECK(w.newRequests().empty());
  }
}
