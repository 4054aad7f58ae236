// SPDX-License-Identifier: Apache-2.0
// End to end with the state on PostgreSQL: the real binary, csv plugin, simulator and server.
#include <doctest/doctest.h>

#include <iomanip>
#include <set>
#include <sstream>

#include <Poco/JSON/Array.h>

#include "support/postgres_process.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::PostgresProcess;
using mobisync::test::ProcessResult;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;

namespace {

std::string csvOf(int first, int count) {
  std::ostringstream s;
  s << "msisdn,name,reference,applications\n";
  for (int i = first; i < first + count; ++i) {
    s << "07930 0" << std::setw(5) << std::setfill('0') << i << ",Person " << i << ",R" << i
      << ",contacts:42\n";
  }
  return s.str();
}

/// A job whose state lives in the PostgreSQL database of `pg`, password from the environment.
class PostgresWorkspace {
 public:
  explicit PostgresWorkspace(const PostgresProcess& pg) {
    url_ = "postgresql://" + pg.user() + "@127.0.0.1:" + std::to_string(pg.port()) + "/" +
           pg.database();
    dir_.write("mobisync.toml",
               "[provider]\nbase_url = \"" + sim_.baseUrl() +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n\n"
                   "[state]\nurl = \"" + url_ +
                   "\"\npassword_env = \"MOBISYNC_STATE_PASSWORD\"\n\n[plugins]\ndirs = [\"" +
                   mobisync::test::pluginDir() +
                   "\"]\n\n[[source]]\nname = \"people\"\nplugin = \"csv\"\n"
                   "path = \"people.csv\"\n\n[[job]]\nname = \"people\"\n"
                   "source = \"people\"\ndefault_region = \"GB\"\n"
                   "applications = [\"contacts:42\"]\n");
  }

  ProcessResult run(std::vector<std::string> args, const std::string& password) {
    args.insert(args.begin(), mobisync::test::mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    ProcessResult r = mobisync::test::runProcess(
        args, {{"MOBIVATE_PASSWORD", "demo-secret"}, {"MOBISYNC_STATE_PASSWORD", password}});
    output_ += r.out + r.err;
    return r;
  }

  const std::string& url() const { return url_; }
  TempDir& dir() { return dir_; }
  SimulatorProcess& sim() { return sim_; }
  /// Everything every run printed, to search for secrets.
  const std::string& output() const { return output_; }

 private:
  TempDir dir_;
  SimulatorProcess sim_;
  std::string url_;
  std::string output_;
};

}  // namespace

TEST_SUITE("integration.state") {
  TEST_CASE("sync keeps its state in PostgreSQL and never prints the state password") {
    PostgresProcess pg;
    PostgresWorkspace w(pg);
    w.dir().write("people.csv", csvOf(0, 30));

    auto plan = w.run({"plan"}, pg.password());
    INFO(plan.out << plan.err);
    REQUIRE(plan.exit_code == 0);
    auto first = w.run({"sync"}, pg.password());
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(w.sim().requests()->size() == 30);
    CHECK(w.sim().subscriptions().size() == 30);
    // The confirmed state is in the server's tables, where another host would read it.
    CHECK(pg.sql("SELECT COUNT(*) FROM subscriptions WHERE job = 'people'") == "30\n");
    CHECK(pg.sql("SELECT outcome FROM runs ORDER BY id") == "succeeded\n");

    // A second run reads that state: one row gone is exactly one delete, nothing else.
    w.dir().write("people.csv", csvOf(1, 29));
    auto second = w.run({"sync"}, pg.password());
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(w.sim().requests()->size() == 31);
    CHECK(pg.sql("SELECT COUNT(*) FROM subscriptions WHERE job = 'people'") == "29\n");

    auto show = w.run({"state", "show"}, pg.password());
    INFO(show.out << show.err);
    REQUIRE(show.exit_code == 0);
    CHECK(show.out.find("State " + w.url() + " (schema version ") == 0);
    CHECK(show.out.find("job people: 29 subscriptions") != std::string::npos);

    CHECK(w.output().find(pg.password()) == std::string::npos);
  }

  TEST_CASE("a wrong state password fails the run naming the url and not the password") {
    PostgresProcess pg;
    PostgresWorkspace w(pg);
    w.dir().write("people.csv", csvOf(0, 5));
    const std::string wrong = "not-" + pg.password();
    auto r = w.run({"sync"}, wrong);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 70);
    CHECK(r.err.find("state " + w.url() + ": cannot open: ") != std::string::npos);
    CHECK(r.err.find("SQLSTATE 28P01") != std::string::npos);
    CHECK(w.output().find(wrong) == std::string::npos);
    CHECK(w.output().find(pg.password()) == std::string::npos);
    // Nothing reached the provider.
    CHECK(w.sim().requests()->size() == 0);
  }
}
