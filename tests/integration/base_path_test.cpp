// SPDX-License-Identifier: Apache-2.0
// Base URLs with a path (a provider behind a gateway at https://host/gw): every provider-facing
// command reaches the simulator's endpoints below that path exactly once, never at /gw/gw/...
// and never at the root. The simulator runs with --base-path, so a request that misses the
// path is a 404 there.
#include <doctest/doctest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ProcessResult;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;

namespace {

constexpr const char* kToken = "base-path-webhook-token";

SimulatorOptions belowGw() {
  SimulatorOptions o;
  o.base_path = "/gw";
  return o;
}

/// Every base URL of the config is the simulator's with /gw: the proxy API, the JSON API of
/// "sms" (sends, batch, HLR, opt-outs, webhooks) and the Simple API of "simple".
class GatewayWorkspace {
 public:
  GatewayWorkspace() : sim_(belowGw()) {
    const std::string url = sim_.apiUrl();
    dir_.write("people.csv", "msisdn,name\n+447930000101,Ann\n+447930000102,Bob\n");
    dir_.write(
        "mobisync.toml",
        "[provider]\nbase_url = \"" + url +
            "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\ntimeout_ms = 3000\n\n"
            "[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
            mobisync::test::pluginDir() +
            "\"]\n\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n\n"
            "[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
            "applications = [\"contacts:42\"]\n\n"
            "[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
            url +
            "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\noriginator = \"Mobisync\"\n"
            "timeout_ms = 3000\n\n"
            "[[notifier]]\nname = \"simple\"\nplugin = \"http\"\napi = \"simple\"\n"
            "simple_url = \"" +
            url +
            "/gateway/api/simple/MT\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
            "route_id = \"7\"\noriginator = \"Mobisync\"\ntimeout_ms = 3000\n\n"
            "[[notify]]\nname = \"welcome\"\non = \"contact.added\"\nvia = \"sms\"\n"
            "to = \"contact\"\ntemplate = \"Welcome {name}\"\n\n"
            "[messaging.optouts]\nimport_via = \"sms\"\nimport_from = \"2026-01-01\"\n\n"
            "[messaging.webhooks]\ntoken_env = \"WEBHOOK_TOKEN\"\n"
            "public_url = \"https://daemon.example.org\"\n");
  }

  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), mobisync::test::mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    return mobisync::test::runProcess(args, {{"MOBIVATE_PASSWORD", "demo-secret"},
                                             {"SIM_API_KEY", sim_.apiKey()},
                                             {"WEBHOOK_TOKEN", kToken}});
  }

  SimulatorProcess& sim() { return sim_; }

 private:
  TempDir dir_;
  SimulatorProcess sim_;
};

/// The simulator's counters (path as requested -> answer -> count), for failure messages: a
/// request that missed /gw is a 404 and not counted, so a miss shows as a path absent here.
std::string endpointsSeen(SimulatorProcess& sim) {
  std::ostringstream out;
  sim.stats()->getObject("endpoints")->stringify(out);
  return out.str();
}

}  // namespace

TEST_SUITE("base_path.integration") {
  TEST_CASE("every provider call goes below a base URL's path exactly once") {
    GatewayWorkspace w;
    SimulatorProcess& sim = w.sim();

    SUBCASE("sync through the proxy API, its welcomes through the JSON batch API") {
      auto r = w.run({"sync"});
      INFO(r.out, r.err, endpointsSeen(sim));
      CHECK(r.exit_code == 0);
      CHECK(sim.endpointCount("/gw/api/contacts/create", "200") == 2);
      CHECK(sim.subscriptions().size() == 2);
      CHECK(sim.messages().size() == 2);
      // The two welcomes of one run go out as one campaign.
      CHECK(sim.endpointCount("/gw/send/batch", "200") == 1);
    }

    SUBCASE("send through the JSON API and the Simple API, and an HLR lookup") {
      auto json = w.run({"send", "--via", "sms", "--to", "+447930000201", "--text", "Hi"});
      INFO(json.out, json.err, endpointsSeen(sim));
      CHECK(json.exit_code == 0);
      CHECK(sim.endpointCount("/gw/send/single", "200") == 1);

      auto simple = w.run({"send", "--via", "simple", "--to", "+447930000202", "--text", "Hi"});
      INFO(simple.out, simple.err);
      CHECK(simple.exit_code == 0);
      CHECK(sim.endpointCount("/gw/gateway/api/simple/MT", "200") == 1);

      auto hlr = w.run({"hlr", "--via", "sms", "447930000203"});
      INFO(hlr.out, hlr.err);
      CHECK(hlr.exit_code == 0);
      CHECK(sim.endpointCount("/gw/hlr/lookup", "200") == 1);
      CHECK(sim.messages().size() == 2);
    }

    SUBCASE("optouts import reads the opt-out list") {
      const auto seeded =
          sim.call("POST", "/_sim/optouts",
                   R"({"mobile": "447930000301", "created": "2026-02-03 10:00:00"})",
                   {{"Content-Type", "application/json"}});
      REQUIRE(seeded.status == 200);
      auto r = w.run({"optouts", "import"});
      INFO(r.out, r.err, endpointsSeen(sim));
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("1 number(s) newly suppressed") != std::string::npos);
      CHECK(sim.endpointCount("/gw/addressbook/optout", "200") >= 1);
    }

    SUBCASE("webhooks register posts both webhooks") {
      auto r = w.run({"webhooks", "register"});
      INFO(r.out, r.err, endpointsSeen(sim));
      CHECK(r.exit_code == 0);
      CHECK(sim.endpointCount("/gw/webhooks/receipt", "200") == 1);
      CHECK(sim.endpointCount("/gw/webhooks/incoming", "200") == 1);
      const auto registered = Poco::JSON::Parser()
                                  .parse(sim.get("/_sim/webhooks"))
                                  .extract<Poco::JSON::Object::Ptr>()
                                  ->getObject("registered");
      REQUIRE(registered);
      CHECK(registered->getValue<std::string>("receipt") ==
            std::string("https://daemon.example.org/webhooks/") + kToken + "/receipt");
    }

    SUBCASE("check --connect probes the proxy, JSON and Simple APIs") {
      auto r = w.run({"check", "--connect"});
      INFO(r.out, r.err, endpointsSeen(sim));
      CHECK(r.exit_code == 0);
      CHECK(sim.endpointCount("/gw/api/contacts/delete", "400") +
                sim.endpointCount("/gw/api/contacts/delete", "200") ==
            1);
      CHECK(sim.endpointCount("/gw/addressbook/optout", "200") == 1);
      CHECK(sim.endpointCount("/gw/gateway/api/simple/MT", "400") == 1);
      // The endpoints are named as reached: below /gw once.
      CHECK(r.out.find(sim.apiUrl() + "/api/contacts/delete") != std::string::npos);
      CHECK(r.out.find(sim.apiUrl() + "/addressbook/optout") != std::string::npos);
      CHECK(r.out.find("/gw/gw/") == std::string::npos);
    }
  }
}
