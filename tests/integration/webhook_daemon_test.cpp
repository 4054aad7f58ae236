// SPDX-License-Identifier: Apache-2.0
// The daemon's webhooks end to end: `mobisync run` sends queued messages through the http
// notifier to the simulator, `mobisync webhooks register` points the simulator's receipts at
// the daemon, and the simulator posts them late, loses some and repeats some. Every receipt
// that arrives is in the message's history and decides its status; a wrong token is 404 and
// records nothing; the token never reaches the log.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "daemon_workspace.hpp"
#include "notify/outbox_drain.hpp"
#include "state/message_log.hpp"
#include "state/received_messages.hpp"
#include "state/state_store.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ChildProcess;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;
using mobisync::test::daemon::eventually;
using mobisync::test::daemon::metricsPort;

namespace {

const std::string kToken = "wh-Token_0123456789abcdefXYZ";
constexpr int kMessages = 24;

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// A daemon with no job, one http notifier "sms" on the simulator's JSON API, and the webhooks
/// on its metrics listener; `public_url` added when not empty.
std::string webhookConfig(const SimulatorProcess& sim, const std::string& public_url = "") {
  return "[provider]\nbase_url = \"" + sim.baseUrl() +
         "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
         "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
         mobisync::test::pluginDir() + "\"]\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n" +
         "\n[messaging.webhooks]\ntoken_env = \"WEBHOOK_TOKEN\"\n" +
         (public_url.empty() ? "" : "public_url = \"" + public_url + "\"\n") +
         "\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" + sim.baseUrl() +
         "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"route-7\"\noriginator = \"MobiSync\"\n";
}

std::map<std::string, std::string> env(const SimulatorProcess& sim) {
  return {{"MOBIVATE_PASSWORD", "demo-secret"}, {"SIM_API_KEY", sim.apiKey()},
          {"WEBHOOK_TOKEN", kToken}};
}

int post(int port, const std::string& path, const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response).ignore(1 << 20);
  return static_cast<int>(response.getStatus());
}

Poco::JSON::Object::Ptr simWebhooks(SimulatorProcess& sim) {
  return Poco::JSON::Parser().parse(sim.get("/_sim/webhooks")).extract<Poco::JSON::Object::Ptr>();
}

/// The details the daemon records for a receipt the simulator posts with `status`.
std::string detailOf(const std::string& status) {
  static const std::map<std::string, std::string> kStates = {
      {"Sent", "ENROUTE"}, {"Delivered", "DELIVRD"}, {"Undelivered", "UNDELIV"}};
  static const std::map<std::string, int> kCodes = {{"Sent", 2}, {"Delivered", 1},
                                                    {"Undelivered", 5}};
  return "receipt " + kStates.at(status) + " error " + status + " (code " +
         std::to_string(kCodes.at(status)) + ")";
}

}  // namespace

TEST_SUITE("integration.webhooks") {
  TEST_CASE("receipts posted late, lost or repeated are each recorded with their history") {
    const unsigned seed = std::random_device{}();
    INFO("simulator seed " << seed);
    SimulatorOptions so;
    so.seed = seed;
    so.extra_args = {"--receipt-delay-ms",    "50-1500", "--receipt-loss-rate", "0.2",
                     "--receipt-repeat-rate", "0.3",     "--receipt-undelivered-rate", "0.25"};
    SimulatorProcess sim(so);
    TempDir dir;
    const std::string cfg = dir.write("mobisync.toml", webhookConfig(sim));
    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg}, env(sim), dir.path());
    REQUIRE_MESSAGE(eventually([&] { return metricsPort(daemon) != 0 || !daemon.running(); }),
                    daemon.readStderr());
    const int port = metricsPort(daemon);
    REQUIRE_MESSAGE(port != 0, daemon.readStderr());

    // The provider learns the daemon's URLs from `webhooks register`, the token masked in print.
    const std::string reg = dir.write(
        "register.toml", webhookConfig(sim, "http://127.0.0.1:" + std::to_string(port)));
    auto registered = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "webhooks", "register", "-c", reg}, env(sim));
    REQUIRE_MESSAGE(registered.exit_code == 0, registered.err);
    CHECK(registered.out.find("/webhooks/***/receipt") != std::string::npos);
    CHECK(registered.out.find("/webhooks/***/incoming") != std::string::npos);
    CHECK(registered.out.find(kToken) == std::string::npos);
    const auto urls = simWebhooks(sim)->getObject("registered");
    CHECK(urls->getValue<std::string>("receipt") ==
          "http://127.0.0.1:" + std::to_string(port) + "/webhooks/" + kToken + "/receipt");

    const std::string state_path = dir.path() + "/state.db";
    {
      mobisync::state::StateStore store(state_path);
      std::vector<mobisync::notify::QueuedMessage> messages;
      for (int i = 0; i < kMessages; ++i) {
        mobisync::notify::QueuedMessage m;
        m.dedup_key = "webhook-test/" + std::to_string(i);
        m.notifier = "sms";
        m.recipient = "4479300" + std::to_string(20000 + i);
        m.text = "Hello " + std::to_string(i);
        m.originator = "MobiSync";
        m.job = "test";
        m.rule = "webhook-test";
        m.event = "send";
        messages.push_back(m);
      }
      mobisync::notify::enqueueMessages(store, messages, nowMs());
    }
    // Every message sent, and every receipt the simulator scheduled made (or lost).
    REQUIRE_MESSAGE(eventually([&] {
                      if (sim.messages().size() != kMessages) return false;
                      auto w = simWebhooks(sim);
                      return w->getValue<int>("pending") == 0 &&
                             w->getArray("posts")->size() >= 2 * kMessages;
                    }),
                    daemon.readStderr());

    // What arrived (answered 200), per provider message id.
    std::map<std::string, std::set<std::string>> arrived;
    int lost = 0, repeats = 0;
    auto posts = simWebhooks(sim)->getArray("posts");
    for (std::size_t i = 0; i < posts->size(); ++i) {
      auto p = posts->getObject(static_cast<unsigned>(i));
      const std::string fate = p->getValue<std::string>("fate");
      lost += fate == "lost";
      repeats += fate == "repeat";
      if (fate != "lost") {
        CHECK(p->getValue<int>("httpStatus") == 200);
        arrived[p->getValue<std::string>("messageId")].insert(p->getValue<std::string>("status"));
      }
    }
    MESSAGE("receipts lost " << lost << ", repeated " << repeats);

    mobisync::state::StateStore store(state_path);
    mobisync::state::MessageLog log(store);
    const auto rows = log.list("", 1000);
    REQUIRE(rows.size() == kMessages);
    for (const auto& m : rows) {
      INFO("message " << m.message_id);
      std::set<std::string> recorded;
      for (const auto& e : log.history(m.id)) {
        if (e.origin == "webhook") recorded.insert(e.detail);
      }
      std::set<std::string> expected;
      for (const auto& status : arrived[m.message_id]) expected.insert(detailOf(status));
      CHECK(recorded == expected);
      const auto& got = arrived[m.message_id];
      const std::string want = got.count("Delivered") ? "delivered"
                               : got.count("Undelivered") ? "failed"
                                                          : "submitted";
      CHECK(m.status == want);
    }

    // A wrong token (or path) is 404 and changes nothing; a right one with bad JSON is 400.
    const auto& first = rows.front();
    const std::string receipt = R"({"deliveryMessageId":")" + first.message_id +
                                R"(","status":"Expired","statusCode":9})";
    const auto before = log.history(first.id).size();
    CHECK(post(port, "/webhooks/" + kToken.substr(0, kToken.size() - 1) + "x/receipt", receipt) ==
          404);
    CHECK(post(port, "/webhooks/" + kToken + "/receipts", receipt) == 404);
    CHECK(post(port, "/webhooks/receipt", receipt) == 404);
    CHECK(post(port, "/webhooks/" + kToken + "/receipt", "{not json") == 400);
    CHECK(log.history(first.id).size() == before);

    // An incoming message injected at the simulator reaches the state through the webhook.
    CHECK(!sim.postJson("/_sim/incoming", R"({"originator":"+447930020001","recipient":"60000",)"
                                          R"("body":"hello there"})")
               .body.empty());
    REQUIRE_MESSAGE(eventually([&] {
                      mobisync::state::StateStore s(state_path);
                      return !mobisync::state::ReceivedMessages(s).list("447930020001", 10).empty();
                    }),
                    daemon.readStderr());

    daemon.kill(SIGTERM);
    CHECK(daemon.waitFor(std::chrono::seconds(60)) == std::optional<int>(0));
    CHECK(daemon.readStderr().find(kToken) == std::string::npos);
    CHECK(daemon.readStderr().find("/webhooks/***/receipts") != std::string::npos);
  }
}
