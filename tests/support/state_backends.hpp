// SPDX-License-Identifier: Apache-2.0
// Runs a state test once on SQLite and once on a real PostgreSQL database.
#pragma once

#include <string>

#include "state/state_store.hpp"
#include "support/postgres_process.hpp"

namespace mobisync::test {

/// The PostgreSQL server the state tests of this process share, started on first use and
/// stopped at exit. Throws (failing the test) when no server can be started here.
PostgresProcess& sharedPostgres();

/// Where a fresh, empty PostgreSQL database of sharedPostgres() lives, password included.
state::StateLocation freshPostgresState();

/// Declares one doctest SUBCASE per backend ("sqlite": a private in-memory database,
/// "postgresql": freshPostgresState()) and returns the location of the one running now, so a
/// test case that starts with `StateStore store(eachStateBackend());` runs once per backend.
state::StateLocation eachStateBackend();

}  // namespace mobisync::test
