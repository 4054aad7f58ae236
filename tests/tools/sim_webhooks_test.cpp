// SPDX-License-Identifier: Apache-2.0
// The simulator's provider-side webhooks: registration with the Bearer key, receipts posted to
// the registered URL (or a send's callbackURL) with seeded loss and repetition, incoming
// messages injected through /_sim/incoming, and the opt-out list by date range.
#include <doctest/doctest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/metrics_server.hpp"
#include "metrics/registry.hpp"
#include "support/eventually.hpp"
#include "support/simulator_process.hpp"

using mobisync::metrics::MetricsServer;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;

namespace {

/// Collects whatever is posted to it: path -> bodies.
struct Catcher {
  mobisync::metrics::Registry registry;
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> bodies;
  MetricsServer server{"127.0.0.1:0", registry, {},
                       [this](std::string_view, std::string_view path, std::string_view body) {
                         std::lock_guard lock(mutex);
                         bodies[std::string(path)].emplace_back(body);
                         return MetricsServer::Reply{200, "application/json", "{}"};
                       }};
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
  }
  std::size_t count(const std::string& path) {
    std::lock_guard lock(mutex);
    return bodies[path].size();
  }
};

Poco::JSON::Object::Ptr object(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string send(SimulatorProcess& sim, const std::string& to) {
  auto r = sim.postJson("/send/single", R"({"originator":"Shop","recipient":")" + to +
                                            R"(","body":"hi","routeId":"r"})");
  REQUIRE(r.status == 200);
  return object(r.body)->getValue<std::string>("id");
}

}  // namespace

TEST_SUITE("tools.sim") {
  TEST_CASE("registered receipt webhook gets Sent then a final status, loss and repeats add up") {
    Catcher catcher;
    SimulatorOptions so;
    so.extra_args = {"--receipt-delay-ms", "0-20", "--receipt-loss-rate", "0.25",
                     "--receipt-repeat-rate", "0.25"};
    SimulatorProcess sim(so);
    CHECK(sim.call("POST", "/webhooks/receipt", R"({"url":"x"})",
                   {{"Authorization", "Bearer " + sim.apiKey()}}).status == 400);
    CHECK(sim.call("POST", "/webhooks/receipt", R"({"url":")" + catcher.url("/r") + R"("})", {})
              .status == 401);
    auto ok = sim.postJson("/webhooks/receipt", R"({"url":")" + catcher.url("/r") + R"("})");
    CHECK(ok.status == 200);
    CHECK(object(ok.body)->getValue<std::string>("message") == "Webhook updated successfully");
    constexpr int kSends = 40;
    for (int i = 0; i < kSends; ++i) send(sim, "4479300" + std::to_string(30000 + i));
    Poco::JSON::Object::Ptr listing;
    REQUIRE(mobisync::test::eventually(
        [&] {
          listing = object(sim.get("/_sim/webhooks"));
          return listing->getValue<int>("pending") == 0 &&
                 listing->getArray("posts")->size() >= 2 * kSends;
        },
        std::chrono::seconds(30)));
    int lost = 0, made = 0;
    auto posts = listing->getArray("posts");
    for (std::size_t i = 0; i < posts->size(); ++i) {
      auto p = posts->getObject(static_cast<unsigned>(i));
      if (p->getValue<std::string>("fate") == "lost") {
        ++lost;
      } else {
        ++made;
        CHECK(p->getValue<int>("httpStatus") == 200);
      }
    }
    CHECK(lost > 0);                          // 0.25 of 80 posts: none lost is (3/4)^80
    CHECK(made + lost > 2 * kSends);          // some repeated
    CHECK(catcher.count("/r") == static_cast<std::size_t>(made));
    std::lock_guard lock(catcher.mutex);
    auto first = object(catcher.bodies["/r"].front());
    for (const char* key : {"deliveryMessageId", "batchId", "clientReference", "created", "status",
                            "statusCode", "parts", "hlr"}) {
      CHECK_MESSAGE(first->has(key), key);
    }
  }

  TEST_CASE("incoming messages go to the registered webhook, opt-outs are listed by date") {
    Catcher catcher;
    SimulatorProcess sim;
    CHECK(sim.postJson("/_sim/incoming", R"({"originator":"61400000001","body":"STOP"})").status ==
          409);
    REQUIRE(sim.postJson("/webhooks/incoming", R"({"url":")" + catcher.url("/in") + R"("})")
                .status == 200);
    auto injected = sim.postJson("/_sim/incoming", R"({"originator":"+61400000001",)"
                                                   R"("recipient":"61400","body":"STOP"})");
    REQUIRE(injected.status == 200);
    REQUIRE(mobisync::test::eventually([&] { return catcher.count("/in") == 1; },
                                       std::chrono::seconds(30)));
    {
      std::lock_guard lock(catcher.mutex);
      auto in = object(catcher.bodies["/in"].front());
      CHECK(in->getValue<std::string>("id") == object(injected.body)->getValue<std::string>("id"));
      CHECK(in->getValue<std::string>("originator") == "+61400000001");
      CHECK(in->getValue<std::string>("body") == "STOP");
      CHECK(in->has("created"));
      CHECK(in->has("inReplyTo"));
    }
    for (auto [mobile, day] : {std::pair{"61400000002", "2024-05-01"}, {"61400000003", "2024-05-03"},
                               {"61400000004", "2024-06-01 08:00:00"}}) {
      REQUIRE(sim.postJson("/_sim/optouts", std::string(R"({"mobile":")") + mobile +
                                                R"(","created":")" + day + R"("})")
                  .status == 200);
    }
    auto listed = sim.call("GET", "/addressbook/optout?startDate=2024-05-01&endDate=2024-05-31",
                           "", {{"Authorization", "Bearer " + sim.apiKey()}});
    REQUIRE(listed.status == 200);
    auto rows = Poco::JSON::Parser().parse(listed.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(rows->size() == 2);
    CHECK(rows->getObject(0)->getValue<std::string>("mobile") == "61400000002");
    CHECK(rows->getObject(1)->getValue<std::string>("created") == "2024-05-03 00:00:00");
    CHECK(sim.call("GET", "/addressbook/optout?startDate=2024-05-01&endDate=2024-05-31", "", {})
              .status == 401);
    CHECK(sim.call("GET", "/addressbook/optout?startDate=May", "",
                   {{"Authorization", "Bearer " + sim.apiKey()}})
              .status == 400);
  }
}
