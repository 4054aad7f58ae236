// SPDX-License-Identifier: Apache-2.0
// Errors of docs/errors.md that need more than a config made to fail: a plugin others can
// replace, a library that is no plugin, a CSV header with a repeated column, an LDAP server whose
// certificate does not verify, a state database that cannot be read or written, and a reject
// file that cannot be written. Each is produced through the real binary and component, and each
// must fail the command with a message that names the documented fragment.
#include <doctest/doctest.h>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <filesystem>
#include <fstream>

#include "reliability/sync_workspace.hpp"
#include "state/state_store.hpp"
#include "support/process.hpp"
#include "support/slapd_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::contactsCsv;
using mobisync::test::ProcessResult;
using mobisync::test::SlapdProcess;
using mobisync::test::SyncWorkspace;
using mobisync::test::TempDir;
using mobisync::test::WorkspaceOptions;

namespace {

ProcessResult runMobisync(std::vector<std::string> args) {
  args.insert(args.begin(), mobisync::test::mobisyncBinary());
  return mobisync::test::runProcess(args, {{"MOBIVATE_PASSWORD", "demo-secret"}});
}

/// A minimal config around one [[source]] body, job "people", plugins from `plugin_dir`.
std::string configWith(const std::string& plugin_dir, const std::string& source,
                       const std::string& extra_job = "") {
  return "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\n"
         "password_env = \"MOBIVATE_PASSWORD\"\n\n[state]\npath = \"state.db\"\n\n[plugins]\n"
         "dirs = [\"" + plugin_dir + "\"]\n\n[[source]]\nname = \"people\"\n" + source +
         "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
         "applications = [\"contacts:42\"]\n" + extra_job;
}

std::string output(const ProcessResult& r) { return r.out + r.err; }

}  // namespace

TEST_SUITE("reliability.errors_doc") {
  TEST_CASE("a plugin in a directory others can write is refused") {
    TempDir dir;
    const fs::path plugins = fs::path(dir.path()) / "plugins";
    fs::create_directories(plugins);
    fs::copy_file(fs::path(mobisync::test::pluginDir()) / "mobisync_plugin_csv.so",
                  plugins / "mobisync_plugin_csv.so");
    fs::permissions(plugins, fs::perms::all);  // 0777: anyone could swap the library
    dir.write("people.csv", contactsCsv(0, 3));
    dir.write("mobisync.toml",
              configWith(plugins.string(), "plugin = \"csv\"\npath = \"people.csv\"\n"));
    auto r = runMobisync({"check", "-c", dir.file("mobisync.toml")});
    INFO(output(r));
    CHECK(r.exit_code != 0);
    CHECK(output(r).find("refusing to load a plugin from a file or directory that group or "
                         "others can write (mode 0777)") != std::string::npos);
    CHECK(output(r).find(plugins.string()) != std::string::npos);
  }

  TEST_CASE("a shared library without the entry symbol is not taken for a plugin") {
    auto r = runMobisync({"plugins", "describe", "noentry", "--plugin-dir",
                          mobisync::test::badPluginDir()});
    INFO(output(r));
    CHECK(r.exit_code != 0);
    CHECK(output(r).find("mobisync_plugin_noentry.so: not a mobisync plugin: the entry symbol "
                         "mobisync_plugin_v1 is missing") != std::string::npos);
  }

  TEST_CASE("a CSV header naming one column twice fails the job and applies nothing") {
    TempDir dir;
    dir.write("people.csv", "msisdn,name,name\n07930000001,Ann,Anne\n");
    dir.write("mobisync.toml", configWith(mobisync::test::pluginDir(),
                                          "plugin = \"csv\"\npath = \"people.csv\"\n"));
    auto r = runMobisync({"plan", "-c", dir.file("mobisync.toml")});
    INFO(output(r));
    CHECK(r.exit_code == 78);
    CHECK(output(r).find("the header names column \"name\" twice (columns 2 and 3)") !=
          std::string::npos);
  }

  TEST_CASE("an LDAP certificate that does not verify against ca_file fails the job") {
    MOBISYNC_REQUIRE_SLAPD();
    SlapdProcess slapd;
    TempDir dir;
    dir.write("mobisync.toml",
              configWith(mobisync::test::pluginDir(),
                         "plugin = \"ldap\"\nuri = \"" + slapd.ldapsUri() + "\"\nbind_dn = \"" +
                             SlapdProcess::kRootDn + "\"\nbind_password_file = \"" +
                             slapd.rootPasswordFile() + "\"\nbase = \"dc=example,dc=org\"\n" +
                             "ca_file = \"" + slapd.otherCaFile() + "\"\n"));
    auto r = runMobisync({"plan", "-c", dir.file("mobisync.toml")});
    INFO(output(r));
    CHECK(r.exit_code == 69);
    CHECK(output(r).find("the server's certificate could not be verified") != std::string::npos);
  }

  TEST_CASE("a state database whose tables cannot be read fails the job before any call") {
    WorkspaceOptions o;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 5));
    REQUIRE(w.run({"sync"}).exit_code == 0);
    {
      // What a damaged or foreign file in the state's place looks like to the planner.
      mobisync::state::StateStore store(w.dir().file("state.db"));
      store.session() << "DROP TABLE subscriptions", Poco::Data::Keywords::now;
      store.session() << "CREATE TABLE subscriptions (unrelated INTEGER)",
          Poco::Data::Keywords::now;
    }
    w.writeCsv(contactsCsv(0, 8));
    const long calls = w.callCount();
    auto r = w.run({"sync"});
    INFO(output(r));
    CHECK(r.exit_code != 0);
    CHECK(output(r).find("cannot read state: ") != std::string::npos);
    CHECK(w.callCount() == calls);
  }

  TEST_CASE("confirmed changes that cannot be recorded stop the job") {
    WorkspaceOptions o;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 5));
    REQUIRE(w.run({"sync"}).exit_code == 0);
    {
      // The database refuses every new subscription row, as a full disk would.
      mobisync::state::StateStore store(w.dir().file("state.db"));
      store.session() << "CREATE TRIGGER refuse_rows BEFORE INSERT ON subscriptions "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
          Poco::Data::Keywords::now;
    }
    w.writeCsv(contactsCsv(0, 8));
    auto r = w.run({"sync"});
    INFO(output(r));
    CHECK(r.exit_code != 0);
    CHECK(output(r).find("cannot record confirmed changes: ") != std::string::npos);
    CHECK(output(r).find("database or disk is full") != std::string::npos);
    // What was applied but not recorded is applied again (idempotently) by the next run.
    {
      mobisync::state::StateStore store(w.dir().file("state.db"));
      store.session() << "DROP TRIGGER refuse_rows", Poco::Data::Keywords::now;
    }
    CHECK(w.run({"sync"}).exit_code == 0);
    CHECK(w.statePairs() == w.providerPairs());
    CHECK(w.providerPairs().size() == 8);
  }

  TEST_CASE("a reject file that cannot be written fails the job before any call") {
    WorkspaceOptions o;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 5));
    // The reject file is written beside its final name first; a directory is in that place.
    fs::create_directories(fs::path(w.dir().path()) / "people.rejects.csv.partial");
    auto r = w.run({"sync"});
    INFO(output(r));
    CHECK(r.exit_code != 0);
    CHECK(output(r).find("cannot write reject file ") != std::string::npos);
    CHECK(w.callCount() == 0);
  }
}
