// SPDX-License-Identifier: Apache-2.0
// Issue 17, cases 6 and 7, through the real binary: what `check` lets through must not break a
// run, config errors are bounded and never quote a secret, nothing blocks on a FIFO, a secret
// file gives its first line, and a state path holding an empty or foreign file is refused.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "reliability/sync_workspace.hpp"
#include "state/sqlite_session.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::contactsCsv;
using mobisync::test::ProcessResult;
using mobisync::test::SyncWorkspace;
using mobisync::test::TempDir;

namespace {

constexpr int kExitConfig = 78;

const std::string kSourceAndJob =
    "[[source]]\nname = \"s\"\nplugin = \"csv\"\npath = \"people.csv\"\n\n"
    "[[job]]\nname = \"j\"\nsource = \"s\"\ndefault_region = \"GB\"\n"
    "applications = [\"contacts:42\"]\n";

/// [provider] with `lines` in place of the password, then a CSV source and a job.
std::string configWith(const std::string& lines) {
  return "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\n" + lines + "\n" +
         kSourceAndJob;
}

/// `mobisync check -c <config>`, bounded: a check that blocks fails the test instead of hanging.
ProcessResult check(const std::string& config) {
  return mobisync::test::runProcess(
      {mobisync::test::mobisyncBinary(), "check", "-c", config, "--plugin-dir",
       mobisync::test::pluginDir()},
      {{"PW", "pw-value"}}, std::chrono::seconds(60));
}

std::string output(const ProcessResult& r) { return r.out + r.err; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("reliability.config_safety") {
  TEST_CASE("an inline password holding ${ is named in the error, never printed") {
    TempDir dir;
    dir.write("people.csv", contactsCsv(0, 1));
    const std::string config =
        dir.write("mobisync.toml", configWith("password = \"Gr33n${Tea-4-Two\""));
    const ProcessResult r = check(config);
    INFO(output(r));
    CHECK(r.exit_code == kExitConfig);
    CHECK(output(r).find(config + ":4:12: provider.password: unterminated ${ at character 6") !=
          std::string::npos);
    CHECK(output(r).find("Gr33n") == std::string::npos);
    CHECK(output(r).find("Tea-4-Two") == std::string::npos);
  }

  TEST_CASE("timeout_ms = 2^63-1 and an unparsable base_url do not pass check") {
    TempDir dir;
    dir.write("people.csv", contactsCsv(0, 1));
    const std::string config = dir.write(
        "mobisync.toml",
        "[provider]\nbase_url = \"http://[::1\"\nusername = \"demo\"\npassword_env = \"PW\"\n"
        "timeout_ms = 9223372036854775807\n\n" + kSourceAndJob);
    const ProcessResult r = check(config);
    INFO(output(r));
    CHECK(r.exit_code == kExitConfig);
    CHECK(output(r).find(config + ":2:12: provider.base_url: is not a valid URL (unterminated "
                                  "IPv6 address): \"http://[::1\"") != std::string::npos);
    CHECK(output(r).find(config + ":5:14: provider.timeout_ms: must be between 1 and 3600000, "
                                  "got 9223372036854775807") != std::string::npos);
  }

  TEST_CASE("a FIFO as -c or as a password_file is refused at once, not waited on") {
    TempDir dir;
    dir.write("people.csv", contactsCsv(0, 1));
    const std::string fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    SUBCASE("-c") {
      const ProcessResult r = check(fifo);
      INFO(output(r));
      CHECK(r.exit_code == kExitConfig);
      CHECK(output(r).find(fifo + ": is not a regular file (a FIFO)") != std::string::npos);
    }
    SUBCASE("password_file") {
      const ProcessResult r =
          check(dir.write("mobisync.toml", configWith("password_file = \"fifo\"")));
      INFO(output(r));
      CHECK(r.exit_code == kExitConfig);
      CHECK(output(r).find("provider.password_file: " + fifo + ": is not a regular file (a FIFO)") !=
            std::string::npos);
    }
  }

  TEST_CASE("a config error about a 50 MB value prints an excerpt of it") {
    TempDir dir;
    dir.write("people.csv", contactsCsv(0, 1));
    const std::string config = dir.write(
        "mobisync.toml", configWith("password_env = \"PW\"") + "\n[log]\nlevel = \"" +
                             std::string(50 * 1024 * 1024, 'v') + "\"\n");
    const ProcessResult r = check(config);
    CHECK(r.exit_code == kExitConfig);
    CHECK(output(r).size() < 2048);
    CHECK(output(r).find("log.level: unknown level \"vvvv") != std::string::npos);
    CHECK(output(r).find("... (52428800 bytes)") != std::string::npos);
  }

  TEST_CASE("password_file gives its first line: a note below the password is not sent") {
    SyncWorkspace w;
    w.writeCsv(contactsCsv(0, 3));
    w.dir().write("pw.txt", "demo-secret\n# rotated 2026-11-01, next rotation in March\n");
    std::string config = slurp(w.dir().file("mobisync.toml"));
    config.replace(config.find("password_env = \"MOBIVATE_PASSWORD\""), 34,
                   "password_file = \"pw.txt\"");
    w.dir().write("mobisync.toml", config);
    const ProcessResult r = w.run({"sync"});
    INFO(output(r));
    CHECK(r.exit_code == 0);
    CHECK(w.providerPairs().size() == 3);

    SUBCASE("an empty first line is refused, naming the key and the file only") {
      w.dir().write("pw.txt", "\ndemo-secret\n");
      const ProcessResult e = w.run({"check"});
      INFO(output(e));
      CHECK(e.exit_code == kExitConfig);
      CHECK(output(e).find("provider.password_file: " + w.dir().file("pw.txt") +
                           ": the first line is empty") != std::string::npos);
      CHECK(output(e).find("demo-secret") == std::string::npos);
    }
  }

  TEST_CASE("an empty or foreign file at the state path is refused and left as it was") {
    SyncWorkspace w;
    w.writeCsv(contactsCsv(0, 5));
    REQUIRE(w.run({"sync"}).exit_code == 0);
    REQUIRE(w.providerPairs().size() == 5);
    const std::string state = w.dir().file("state.db");
    const long calls = w.callCount();
    std::string expected;
    SUBCASE("empty: a state cut to nothing, whose subscriptions would be forgotten") {
      fs::remove(state);
      fs::remove(state + "-wal");
      fs::remove(state + "-shm");
      w.dir().write("state.db", "");
      expected = "state " + state + ": the file is empty (0 bytes), so it is not a mobisync "
                 "state; mobisync will not open or overwrite it.";
    }
    SUBCASE("not SQLite: a CSV export saved under the state's name") {
      fs::remove(state);
      w.dir().write("state.db", contactsCsv(0, 5));
      expected = "state " + state + ": the file is not an SQLite database";
    }
    SUBCASE("another program's SQLite database") {
      fs::remove(state);
      fs::remove(state + "-wal");
      fs::remove(state + "-shm");
      {
        Poco::Data::Session other = mobisync::state::openSqliteSession(state);
        other << "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)",
            Poco::Data::Keywords::now;
      }
      expected = "state " + state + ": the file is an SQLite database without mobisync's tables";
    }
    const auto before = fs::file_size(state);
    const std::string content = slurp(state);
    w.writeCsv(contactsCsv(0, 3));  // a run that went ahead would remove nothing it never knew
    for (const char* command : {"sync", "plan"}) {
      CAPTURE(command);
      const ProcessResult r = w.run({command});
      INFO(output(r));
      CHECK(r.exit_code == 78);  // the config points at the wrong file: not a bug (70)
      CHECK(output(r).find(expected) != std::string::npos);
    }
    CHECK(fs::file_size(state) == before);
    CHECK(slurp(state) == content);
    CHECK(w.callCount() == calls);
  }
}
