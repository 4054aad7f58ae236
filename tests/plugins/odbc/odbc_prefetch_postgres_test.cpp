// SPDX-License-Identifier: Apache-2.0
// The odbc plugin reads ahead on a second thread (RowPrefetch) while the sink takes earlier rows:
// against PostgreSQL through psqlODBC, every row still arrives once, whole and in order, across
// hand-offs, driver blocks and long values read again whole, and a sink that stops the read
// stops it there. The table's contents follow a seed (printed; MOBISYNC_ODBC_SEED=<n> replays).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "postgres_odbc.hpp"

using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::testing::RecordingSink;
using mobisync::plugins::odbc::testing::run;
using mobisync::plugins::odbc::testing::skipWithoutPostgres;
using mobisync::test::PostgresProcess;

namespace {

constexpr std::int64_t kRows = 20'000;

std::int64_t seedOf() {
  if (const char* replay = std::getenv("MOBISYNC_ODBC_SEED")) {
    return std::stoll(replay);
  }
  return static_cast<std::int64_t>(std::random_device{}() % 1'000'000);
}

// The row g the table holds for `seed`, as the SQL of fillTable() writes it.
struct Person {
  std::optional<std::string> phone;
  std::string name;
  std::optional<std::string> note;
};

Person person(std::int64_t g, std::int64_t seed) {
  Person p;
  if ((g * 7919 + seed) % 97 != 0) {
    const std::string digits = std::to_string(g);
    p.phone = "4479" + std::string(8 - digits.size(), '0') + digits;
  }
  if ((g * 104729 + seed) % 211 == 0) {
    // 2 bytes a character in UTF-8: longer than a bound cell (1 KiB), so read again whole.
    for (std::int64_t i = 0; i < 600 + g % 400; ++i) {
      p.name += "ł";
    }
  } else {
    p.name =
        "Zoë " + std::to_string(g) + std::string(static_cast<std::size_t>((g + seed) % 40), 'x');
  }
  if ((g + seed) % 5 != 0) {
    p.note = "n" + std::to_string(g * 31 % 1000);
  }
  return p;
}

void fillTable(PostgresProcess& pg, std::int64_t seed) {
  const std::string s = std::to_string(seed);
  pg.sql("CREATE TABLE people (id BIGINT PRIMARY KEY, phone TEXT, full_name TEXT, note TEXT)");
  pg.sql("INSERT INTO people SELECT g, "
         "CASE WHEN (g * 7919 + " + s + ") % 97 = 0 THEN NULL "
         "ELSE '4479' || lpad(g::text, 8, '0') END, "
         "CASE WHEN (g * 104729 + " + s + ") % 211 = 0 THEN repeat('ł', (600 + g % 400)::int) "
         "ELSE 'Zoë ' || g || repeat('x', ((g + " + s + ") % 40)::int) END, "
         "CASE WHEN (g + " + s + ") % 5 = 0 THEN NULL ELSE 'n' || (g * 31 % 1000) END "
         "FROM generate_series(1::bigint, " + std::to_string(kRows) + ") AS g");
}

ConfigValues readAll(PostgresProcess& pg, std::int64_t batch) {
  ConfigValues config;
  config.set("connection_string", pg.odbcConnectionString(), "");
  config.set("password", pg.password(), "");
  config.set("query",
             "SELECT id AS reference, phone AS msisdn, full_name AS name, note FROM people "
             "ORDER BY id",
             "");
  config.set("batch_size", batch, "");
  return config;
}

}  // namespace

TEST_SUITE("plugin.odbc.postgres") {
  TEST_CASE("rows read ahead arrive once, whole and in order, whatever the batch") {
    if (skipWithoutPostgres()) {
      return;
    }
    const std::int64_t seed = seedOf();
    MESSAGE("seed " << seed << " (replay with MOBISYNC_ODBC_SEED=" << seed << ")");
    PostgresProcess pg;
    fillTable(pg, seed);
    // Around the hand-off of 512 rows and the driver's block, and one row per round trip.
    for (const std::int64_t batch : {std::int64_t{1}, std::int64_t{511}, std::int64_t{512},
                                     std::int64_t{513}, std::int64_t{5000}}) {
      CAPTURE(batch);
      RecordingSink sink;
      const Status s = run(readAll(pg, batch), sink);
      INFO(s.message());
      REQUIRE(s.isOk());
      std::size_t contact = 0;
      std::size_t reject = 0;
      for (std::int64_t g = 1; g <= kRows; ++g) {
        CAPTURE(g);
        const Person p = person(g, seed);
        if (!p.phone) {
          REQUIRE(reject < sink.rejects.size());
          CHECK(sink.rejects[reject].position ==
                "row " + std::to_string(g) + " (reference = " + std::to_string(g) + ")");
          CHECK(sink.rejects[reject].reason == "msisdn is NULL (column \"msisdn\")");
          ++reject;
          continue;
        }
        REQUIRE(contact < sink.contacts.size());
        const mobisync::Contact& c = sink.contacts[contact++];
        REQUIRE(c.msisdn == *p.phone);
        REQUIRE(c.name == p.name);
        REQUIRE(c.reference == std::to_string(g));
        REQUIRE(c.attributes == std::vector<std::pair<std::string, std::string>>{
                                    {"note", p.note.value_or("")}});
      }
      CHECK(contact == sink.contacts.size());
      CHECK(reject == sink.rejects.size());
    }
  }

  TEST_CASE("a sink that stops the read stops it there, with the read ahead abandoned") {
    if (skipWithoutPostgres()) {
      return;
    }
    const std::int64_t seed = seedOf();
    MESSAGE("seed " << seed << " (replay with MOBISYNC_ODBC_SEED=" << seed << ")");
    PostgresProcess pg;
    fillTable(pg, seed);
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    for (int round = 0; round < 4; ++round) {
      const std::size_t stop_at = std::uniform_int_distribution<std::size_t>(0, 15'000)(random);
      CAPTURE(stop_at);
      RecordingSink sink;
      sink.fail_after = stop_at;
      const Status s = run(readAll(pg, 1000), sink);
      REQUIRE_FALSE(s.isOk());
      CHECK(s.message().find("sink full") != std::string::npos);
      CHECK(sink.accepted == stop_at);
      // Nothing of the abandoned read lingers: the next read sees every row.
      RecordingSink again;
      again.keep_contacts = false;
      REQUIRE(run(readAll(pg, 1000), again).isOk());
      CHECK(again.accepted + again.rejects.size() == static_cast<std::size_t>(kRows));
    }
  }
}
