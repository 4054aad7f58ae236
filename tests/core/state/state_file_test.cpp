// SPDX-License-Identifier: Apache-2.0
// The SQLite state file: a new state only where no file exists; empty and foreign files refused
// and left as they were.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/sqlite_session.hpp"
#include "state/sqlite_state_file.hpp"
#include "state/state_store.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using mobisync::state::StateFileRefused;
using mobisync::state::StateStore;
using Poco::Data::Keywords::now;

namespace {

/// The message of the StateFileRefused that opening `path` throws; "" when none is thrown.
std::string refusal(const std::string& path) {
  try {
    StateStore store(path);
  } catch (const StateFileRefused& e) {
    return e.what();
  }
  return "";
}

std::size_t filesIn(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("a new state is created only where no file exists, complete and alone") {
    mobisync::test::TempDir dir;
    const std::string path = dir.file("state.db");
    { StateStore store(path); }
    CHECK(fs::file_size(path) > 0);
    // No temporary file is left beside it, and it opens again as ours.
    CHECK(filesIn(dir.path()) == 1);
    CHECK(refusal(path).empty());
  }

  TEST_CASE("an empty file at the state path is refused and left empty") {
    mobisync::test::TempDir dir;
    const std::string path = dir.write("state.db", "");
    const std::string why = refusal(path);
    INFO(why);
    CHECK(why.rfind("state " + path + ": the file is empty (0 bytes), so it is not a mobisync "
                    "state; mobisync will not open or overwrite it.", 0) == 0);
    CHECK(why.find("remove the file") != std::string::npos);
    CHECK(fs::file_size(path) == 0);
    CHECK(filesIn(dir.path()) == 1);
  }

  TEST_CASE("a file that is not an SQLite database is refused and left as it was") {
    mobisync::test::TempDir dir;
    const std::string path = dir.write("state.db", "msisdn,name\n447930000001,Ann\n");
    CHECK(refusal(path).find("the file is not an SQLite database, so it is not a mobisync "
                             "state") != std::string::npos);
    CHECK(fs::file_size(path) == 29);
  }

  TEST_CASE("another program's SQLite database is refused and left without our tables") {
    mobisync::test::TempDir dir;
    const std::string path = dir.file("state.db");
    {
      Poco::Data::Session other = mobisync::state::openSqliteSession(path);
      other << "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)", now;
    }
    CHECK(refusal(path).find("is an SQLite database without mobisync's tables") !=
          std::string::npos);
    Poco::Data::Session look(Poco::Data::SQLite::Connector::KEY, path);
    int ours = -1;
    look << "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'",
        Poco::Data::Keywords::into(ours), now;
    CHECK(ours == 0);
  }

  TEST_CASE("a FIFO or a directory at the state path is refused without blocking") {
    mobisync::test::TempDir dir;
    const std::string fifo = dir.file("state.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(refusal(fifo).find("state " + fifo + ": is not a regular file (a FIFO)") == 0);
    const std::string sub = dir.file("state.d");
    fs::create_directory(sub);
    CHECK(refusal(sub).find("state " + sub + ": is not a regular file (a directory)") == 0);
  }
}
