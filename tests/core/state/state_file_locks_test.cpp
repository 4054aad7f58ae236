// SPDX-License-Identifier: Apache-2.0
// Opening the SQLite state again in a process that holds it open (the daemon's messaging
// service while a job run or the readiness probe opens it) must not drop the open connection's
// locks: another process would then take itself for the last one, checkpoint and remove the
// WAL, and what this process writes next would go to a WAL nobody reads.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <Poco/Data/Session.h>

#include "state/state_session.hpp"
#include "state/state_store.hpp"
#include "support/temp_dir.hpp"

using Poco::Data::Keywords::now;

namespace {

/// The rows of probe_rows as the sqlite3 program, another process, counts them (-1: no answer).
long countElsewhere(const std::string& path) {
  const std::string command = "sqlite3 '" + path + "' 'SELECT COUNT(*) FROM probe_rows' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char line[128] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  const int status = ::pclose(pipe);
  if (!read || status != 0) return -1;
  return std::strtol(line, nullptr, 10);
}

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("opening the state again keeps the locks of the connections this process holds") {
    mobisync::test::TempDir dir;
    const std::string path = dir.file("state.db");
    mobisync::state::StateStore store(path);
    Poco::Data::Session& held = store.session();
    held << "CREATE TABLE probe_rows (n INTEGER)", now;
    held << "INSERT INTO probe_rows VALUES (1)", now;
    for (int i = 0; i < 3; ++i) {
      // As a job run or the readiness probe does while the messaging service holds the state.
      Poco::Data::Session again = mobisync::state::openStateSession({path, "", ""});
      REQUIRE(countElsewhere(path) == 1);
    }
    held << "INSERT INTO probe_rows VALUES (2)", now;
    CHECK(countElsewhere(path) == 2);
  }
}
