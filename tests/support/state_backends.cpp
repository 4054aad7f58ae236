// SPDX-License-Identifier: Apache-2.0
// Runs a state test once on SQLite and once on a real PostgreSQL database.
#include "support/state_backends.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <memory>

namespace mobisync::test {

PostgresProcess& sharedPostgres() {
  // Starting a cluster costs seconds, a database milliseconds. Under ctest every test case is a
  // process of its own, so ctest starts one cluster for all of them (tests/pg_server) and names
  // it here; a test binary run by hand starts its own.
  static const std::unique_ptr<PostgresProcess> server = [] {
    const char* shared = std::getenv("MOBISYNC_TEST_PG_SHARED");
    if (shared != nullptr && *shared != '\0') {
      return PostgresProcess::attach(std::string(shared) + "/info");
    }
    return std::make_unique<PostgresProcess>();
  }();
  return *server;
}

state::StateLocation freshPostgresState() {
  static int databases = 0;
  PostgresProcess& pg = sharedPostgres();
  // Several test processes share one server: the pid keeps their databases apart.
  const std::string name =
      "state_" + std::to_string(::getpid()) + "_" + std::to_string(++databases);
  pg.createDatabase(name);
  state::StateLocation where;
  where.url = "postgresql://" + pg.user() + "@127.0.0.1:" + std::to_string(pg.port()) + "/" + name;
  where.password = pg.password();
  return where;
}

state::StateLocation eachStateBackend() {
  state::StateLocation where;
  SUBCASE("sqlite") { where.path = ":memory:"; }
  SUBCASE("postgresql") { where = freshPostgresState(); }
  return where;
}

}  // namespace mobisync::test
