// SPDX-License-Identifier: Apache-2.0
// Tests of the schema migration list and the runner that applies it.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/migrations.hpp"
#include "state/sqlite_session.hpp"
#include "state/state_error.hpp"
#include "state/state_session.hpp"
#include "support/state_backends.hpp"

namespace {

using mobisync::state::Migration;
using mobisync::state::migrate;
using mobisync::state::recordedSchemaVersion;
using mobisync::state::StateError;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

int tableCount(Poco::Data::Session& session, const std::string& name) {
  std::string bound = name;
  int count = 0;
  const bool sqlite = mobisync::state::dialectOf(session) == mobisync::state::Dialect::Sqlite;
  session << mobisync::state::sqlFor(
                 session, sqlite ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                   "name = ?"
                                 : "SELECT COUNT(*) FROM information_schema.tables WHERE "
                                   "table_schema = current_schema() AND table_name = ?"),
      Poco::Data::Keywords::use(bound), into(count), now;
  return count;
}

// A session on a fresh database of each backend in turn (see eachStateBackend), and its name.
struct Fresh {
  mobisync::state::StateLocation where = mobisync::test::eachStateBackend();
  Poco::Data::Session session = mobisync::state::openStateSession(where);
  const std::string& name() const { return where.display(); }
};

constexpr std::string_view kOne[] = {"CREATE TABLE a (x INTEGER)"};
constexpr std::string_view kTwo[] = {"CREATE TABLE b (y INTEGER)"};
// The first statement succeeds, the second fails: the table from the first must not survive.
constexpr std::string_view kBroken[] = {"CREATE TABLE c (z INTEGER)",
                                        "CREATE TABLE a (x INTEGER)"};

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("shipped migrations are numbered from 1 without gaps and are not empty") {
    const auto list = mobisync::state::migrations();
    REQUIRE(!list.empty());
    int expected = 1;
    for (const Migration& m : list) {
      CHECK(m.version == expected++);
      CHECK(!m.description.empty());
      CHECK(!m.statements.empty());
    }
    CHECK(mobisync::state::latestSchemaVersion() == static_cast<int>(list.size()));
  }

  TEST_CASE("a later migration is applied on top of a database at an earlier version") {
    Fresh db;
    Poco::Data::Session& session = db.session;
    const Migration v1[] = {{1, "a", kOne}};
    CHECK(migrate(session, db.name(), v1) == 1);
    CHECK(tableCount(session, "b") == 0);

    const Migration v2[] = {{1, "a", kOne}, {2, "b", kTwo}};
    CHECK(migrate(session, db.name(), v2) == 2);
    CHECK(recordedSchemaVersion(session) == 2);
    CHECK(tableCount(session, "b") == 1);
    // Running it again finds nothing to do; re-running v1's CREATE TABLE would throw.
    CHECK(migrate(session, db.name(), v2) == 2);
  }

  TEST_CASE("a failing migration is rolled back and the version stays") {
    Fresh db;
    Poco::Data::Session& session = db.session;
    const Migration list[] = {{1, "a", kOne}, {2, "c then a again", kBroken}};
    std::string message;
    try {
      (void)migrate(session, db.name(), list);
    } catch (const StateError& e) {
      message = e.what();
    }
    const std::string prefix =
        "state " + db.name() + ": cannot apply schema migration 2 (c then a again): ";
    // SQLite's words, or PostgreSQL's SQLSTATE and message.
    CHECK((message == prefix + "table a already exists" ||
           message == prefix + "SQLSTATE 42P07: relation \"a\" already exists"));
    CHECK(recordedSchemaVersion(session) == 1);
    CHECK(tableCount(session, "a") == 1);
    CHECK(tableCount(session, "c") == 0);
  }

  TEST_CASE("a database newer than the list is refused") {
    Fresh db;
    Poco::Data::Session& session = db.session;
    const Migration v2[] = {{1, "a", kOne}, {2, "b", kTwo}};
    CHECK(migrate(session, db.name(), v2) == 2);
    const Migration v1[] = {{1, "a", kOne}};
    CHECK_THROWS_WITH_AS(
        (void)migrate(session, "old.db", v1),
        "state old.db has schema version 2, this mobisync knows up to 1; upgrade mobisync",
        StateError);
  }

  TEST_CASE("a list with a gap is a programming error") {
    Fresh db;
    Poco::Data::Session& session = db.session;
    const Migration gap[] = {{1, "a", kOne}, {3, "b", kTwo}};
    CHECK_THROWS_AS((void)migrate(session, db.name(), gap), std::logic_error);
  }
}
