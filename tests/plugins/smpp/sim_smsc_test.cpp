// SPDX-License-Identifier: Apache-2.0
// The ESME against the project's own SMSC (mobivate-sim --smpp-port 0), which reassembles long
// messages and records them like every other send API (GET /_sim/messages, api "smpp").
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Logger.h>
#include <doctest/doctest.h>

#include "smpp_notifier.hpp"
#include "support/simulator_process.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;

namespace {

SimulatorOptions smscOptions() {
  SimulatorOptions o;
  o.smsc = true;
  o.smpp_password = "smpp-pw";
  return o;
}

struct SimEsme {
  explicit SimEsme(int port, std::int64_t binds = 1) {
    config.set("host", std::string("127.0.0.1"), "");
    config.set("port", std::int64_t{port}, "");
    config.set("system_id", std::string("demo"), "");
    config.set("password", std::string("smpp-pw"), "");
    config.set("route_id", std::string("route-7"), "");
    config.set("originator", std::string("Mobisync"), "");
    config.set("binds", binds, "");
    config.set("timeout_ms", std::int64_t{5000}, "");
    Status s = notifier.init(context);
    REQUIRE_MESSAGE(s.isOk(), s.message());
  }
  ~SimEsme() { notifier.shutdown(); }

  plugin::ConfigValues config;
  plugin::Context context{"sim", config, Poco::Logger::get("test.smpp.sim")};
  SmppNotifier notifier;
};

}  // namespace

TEST_SUITE("plugin.smpp.sim") {

TEST_CASE("long GSM-7 and UCS-2 messages arrive reassembled with route and receipts come back") {
  SimulatorProcess sim(smscOptions());
  REQUIRE(sim.smppPort() > 0);
  SimEsme esme(sim.smppPort());
  const std::string gsm = std::string(150, 'g') + " {braces} \xe2\x82\xac";
  const std::string ucs = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xf0\x9f\x98\x80 " + std::string(80, 'u');
  std::set<std::string> ids;
  for (const std::string& text : {gsm, ucs}) {
    auto d = esme.notifier.send(plugin::Message{"447930000001", text, "", "ref"});
    REQUIRE(d);
    REQUIRE_MESSAGE(d->outcome == plugin::Delivery::Outcome::Ok, d->detail);
    ids.insert(d->message_id);
  }
  auto messages = sim.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].api == "smpp");
  CHECK(messages[0].text == gsm);
  CHECK(messages[0].parts == 2);
  CHECK(messages[0].coding == "GSM-7");
  CHECK(messages[0].route_id == "route-7");
  CHECK(messages[0].originator == "Mobisync");
  CHECK(messages[0].recipient == "447930000001");
  CHECK(messages[1].text == ucs);
  CHECK(messages[1].parts == 2);
  CHECK(messages[1].coding == "UCS-2");

  std::set<std::string> receipted;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (receipted.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    for (const auto& r : esme.notifier.takeReceipts()) {
      CHECK(r.state == "DELIVRD");
      receipted.insert(r.message_id);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(receipted == ids);
}

TEST_CASE("a batch over three binds keeps within the SMSC's window and rate") {
  SimulatorProcess sim(smscOptions());
  SimEsme esme(sim.smppPort(), 3);
  std::vector<plugin::Message> batch;
  for (int i = 0; i < 90; ++i) {
    batch.push_back(plugin::Message{"44793000" + std::to_string(1000 + i), "batch " + std::to_string(i), "", ""});
  }
  auto deliveries = esme.notifier.sendBatch(batch, plugin::BatchOptions{});
  REQUIRE(deliveries);
  std::set<std::string> ids;
  for (const auto& d : *deliveries) {
    CHECK_MESSAGE(d.outcome == plugin::Delivery::Outcome::Ok, d.detail);
    ids.insert(d.message_id);
  }
  CHECK(ids.size() == 90);
  CHECK(sim.messages().size() == 90);
}

}  // TEST_SUITE
