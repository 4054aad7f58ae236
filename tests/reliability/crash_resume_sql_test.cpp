// SPDX-License-Identifier: Apache-2.0
// Crash-resume with an SQL source: the same kill-at-random-points proof as the CSV harness, the
// 20,000 contacts served by the odbc plugin from a throwaway PostgreSQL 15 through psqlODBC.
// Snapshot mode: every run reads the whole table. Incremental mode: runs read the rows changed
// since the stored cursor, and a killed run must never move it, or its unconfirmed changes would
// be skipped for good. MOBISYNC_CRASH_SEED=<n> replays a run's kill points (the seed is printed).
#include <doctest/doctest.h>

#include <random>

#include "integration/odbc_workspace.hpp"
#include "reliability/crash_harness.hpp"

using mobisync::test::checkConverged;
using mobisync::test::crashSeed;
using mobisync::test::killRepeatedly;
using mobisync::test::lastSeq;
using mobisync::test::msisdnOf;
using mobisync::test::PairSet;
using mobisync::test::PostgresProcess;
using mobisync::test::resumeToEnd;
using mobisync::test::SyncWorkspace;
using mobisync::test::WorkspaceOptions;

namespace {

constexpr int kContacts = 20000;
constexpr int kKept = kContacts * 3 / 4;
constexpr int kConcurrency = 4;

// Rows are edited by id; msisdnOf(i) is the normalised form of row i's number.
const char* kCreateTable =
    "CREATE TABLE people (id INT PRIMARY KEY, msisdn TEXT NOT NULL, name TEXT, reference TEXT, "
    "applications TEXT, deleted BOOLEAN NOT NULL DEFAULT false, updated_at TIMESTAMPTZ NOT NULL);"
    "INSERT INTO people SELECT i, '07930 0' || lpad(i::text, 5, '0'), 'Person ' || i, 'R' || i, "
    "NULL, false, '2026-01-01 09:00:00+00' FROM generate_series(0, 19999) i";

const char* kSnapshotSource =
    "plugin = \"odbc\"\npassword_env = \"CRM_DB_PASSWORD\"\nbatch_size = 500\n"
    "query = \"SELECT msisdn, name, reference, applications FROM people WHERE NOT deleted\"\n";

const char* kIncrementalSource =
    "plugin = \"odbc\"\npassword_env = \"CRM_DB_PASSWORD\"\nbatch_size = 500\n"
    "mode = \"incremental\"\ncursor_column = \"updated_at\"\ncursor_type = \"timestamp\"\n"
    "tombstone_column = \"deleted\"\nquery = \"SELECT msisdn, name, reference, applications, "
    "deleted, updated_at FROM people WHERE updated_at >= ? ORDER BY updated_at, id\"\n";

/// The second phase's change, the same in both modes: the last quarter of the rows go, and every
/// tenth remaining row gains an application. Incremental mode sees the deletions as tombstones;
/// snapshot mode ignores the flag's rows through its WHERE clause.
const char* kChange =
    "UPDATE people SET deleted = true, updated_at = '2026-01-02 09:00:00+00' WHERE id >= 15000;"
    "UPDATE people SET applications = 'contacts:42;optouts:calls', "
    "updated_at = '2026-01-02 09:00:00+00' WHERE id < 15000 AND id % 10 = 1";

PairSet allCreated() {
  PairSet out;
  for (int i = 0; i < kContacts; ++i) out.insert(msisdnOf(i) + " contacts:42");
  return out;
}

PairSet afterChange(long& expected_calls) {
  PairSet out;
  expected_calls = kContacts - kKept;
  for (int i = 0; i < kKept; ++i) {
    out.insert(msisdnOf(i) + " contacts:42");
    if (i % 10 == 1) {
      out.insert(msisdnOf(i) + " optouts:calls");
      ++expected_calls;
    }
  }
  return out;
}

/// Creates under `first_kills` kills, then the change under `second_kills`, each resumed to the
/// end and checked like the CSV harness. Then a plan must read `rows_read_after` rows: all live
/// rows for a snapshot; for an incremental source only those at the stored cursor, which proves
/// the cursor moved once the changes were confirmed (and convergence proves no killed run moved
/// it before).
void runScenario(const char* source, int first_kills, int second_kills, long rows_read_after) {
  PostgresProcess pg;
  pg.sql(kCreateTable);
  const std::uint64_t seed = crashSeed();
  MESSAGE("crash seed " << seed << " (replay with MOBISYNC_CRASH_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);

  WorkspaceOptions o;
  o.sim.latency_ms = 2;
  o.sim.seed = static_cast<unsigned>(seed);
  o.concurrency = kConcurrency;
  o.extra_job = std::string("max_delete = \"100%\"\n") + mobisync::test::kShortLease;
  o.source = std::string(source) + "connection_string = " +
             mobisync::test::quoted(pg.odbcConnectionString()) + "\n";
  o.env = {{"CRM_DB_PASSWORD", pg.password()}};
  SyncWorkspace w(o);

  long from = lastSeq(w);
  auto kills = killRepeatedly(w, rng, first_kills, kContacts);
  CHECK(kills.size() >= static_cast<std::size_t>(first_kills));
  resumeToEnd(w);
  checkConverged(w, allCreated(), kills, from);

  pg.sql(kChange);
  long expected_calls = 0;
  const PairSet desired = afterChange(expected_calls);
  from = lastSeq(w);
  auto more = killRepeatedly(w, rng, second_kills, expected_calls);
  CHECK(more.size() >= static_cast<std::size_t>(second_kills));
  resumeToEnd(w);
  checkConverged(w, desired, more, from);
  auto plan = w.run({"plan"});
  INFO(plan.out);
  CHECK(plan.out.find(": " + std::to_string(rows_read_after) + " rows read") != std::string::npos);
}

}  // namespace

TEST_SUITE("reliability.crash_resume") {
  TEST_CASE("sync from PostgreSQL killed at random points converges in snapshot mode") {
    if (mobisync::test::skipWithoutPostgres()) {
      return;
    }
    runScenario(kSnapshotSource, 6, 4, kKept);
  }

  TEST_CASE("sync from PostgreSQL killed at random points converges in incremental mode") {
    if (mobisync::test::skipWithoutPostgres()) {
      return;
    }
    // The rows changed at 2026-01-02: a quarter tombstoned, a tenth of the rest.
    runScenario(kIncrementalSource, 4, 3, (kContacts - kKept) + kKept / 10);
  }
}
