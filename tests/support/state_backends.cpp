// SPDX-License-Identifier: Apache-2.0
// Runs a state test once on SQLite and once on a real PostgreSQL database.
#include "support/state_backends.hpp"

#include <doctest/doctest.h>

#include <memory>

namespace mobisync::test {

PostgresProcess& sharedPostgres() {
  // One cluster per test process: starting one costs seconds, a database costs milliseconds.
  static const std::unique_ptr<PostgresProcess> server = std::make_unique<PostgresProcess>();
  return *server;
}

state::StateLocation freshPostgresState() {
  static int databases = 0;
  PostgresProcess& pg = sharedPostgres();
  const std::string name = "state_" + std::to_string(++databases);
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
