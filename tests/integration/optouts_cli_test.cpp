// SPDX-License-Identifier: Apache-2.0
// `mobisync optouts import|list|export` end to end: the real binary and the simulator's
// GET /addressbook/optout.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ProcessResult;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;

namespace {

class OptoutWorkspace {
 public:
  OptoutWorkspace() {
    dir_.write("mobisync.toml",
               "[provider]\nbase_url = \"" + sim_.baseUrl() +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n\n"
                   "[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
                   mobisync::test::pluginDir() +
                   "\"]\n\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
                   sim_.baseUrl() +
                   "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\n\n"
                   "[messaging.optouts]\nimport_via = \"sms\"\nimport_from = \"2026-01-01\"\n");
  }
  ProcessResult run(std::vector<std::string> args, const std::string& api_key = "sim-api-key") {
    args.insert(args.begin(), mobisync::test::mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    return mobisync::test::runProcess(
        args, {{"MOBIVATE_PASSWORD", "demo-secret"}, {"SIM_API_KEY", api_key}});
  }
  void seed(const std::string& mobile, const std::string& created) {
    auto r = sim_.call("POST", "/_sim/optouts",
                       "{\"mobile\": \"" + mobile + "\", \"created\": \"" + created + "\"}",
                       {{"Content-Type", "application/json"}});
    REQUIRE(r.status == 200);
  }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_;
  SimulatorProcess sim_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("integration") {
  TEST_CASE("optouts import reads the provider list, and list and export show it") {
    OptoutWorkspace w;
    w.seed("447700900001", "2026-02-03 10:00:00");
    w.seed("447700900002", "2026-03-04 11:00:00");

    auto r = w.run({"optouts", "import"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("2 number(s) newly suppressed") != std::string::npos);

    auto again = w.run({"optouts", "import"});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("0 number(s) newly suppressed") != std::string::npos);

    auto json = w.run({"optouts", "list", "--format", "json"});
    CHECK(json.exit_code == 0);
    CHECK(json.out.find("\"msisdn\": \"447700900001\"") != std::string::npos);
    CHECK(json.out.find("\"origin\": \"provider\"") != std::string::npos);

    auto exported = w.run({"optouts", "export", w.dir().file("optouts.csv")});
    CHECK(exported.exit_code == 0);
    const std::string csv = slurp(w.dir().file("optouts.csv"));
    CHECK(csv.rfind("msisdn,channel,origin,detail,", 0) == 0);
    CHECK(csv.find("447700900002,sms,provider,2026-03-04 11:00:00,") != std::string::npos);
  }

  TEST_CASE("optouts import with a refused key exits 69 without quoting the key") {
    OptoutWorkspace w;
    auto r = w.run({"optouts", "import"}, "not-the-key");
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("401") != std::string::npos);
    CHECK(r.err.find("not-the-key") == std::string::npos);
    CHECK(r.out.find("not-the-key") == std::string::npos);
  }
}
