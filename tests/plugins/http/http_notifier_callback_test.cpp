// SPDX-License-Identifier: Apache-2.0
// callback_url against the real simulator: single and batch JSON sends carry it as callbackURL,
// and the simulator posts each message's receipts (Sent, then Delivered) there; the URL, which
// holds the webhook token, never reaches the log or an error.
#include <doctest/doctest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "http_notifier_sim_fixture.hpp"
#include "metrics/metrics_server.hpp"
#include "metrics/registry.hpp"
#include "support/eventually.hpp"

using namespace http_sim_fixture;
using mobisync::metrics::MetricsServer;

namespace {

const std::string kToken = "cb-token-0123456789abcdef";

/// An HTTP listener that keeps every receipt posted to it: message id -> statuses in order.
struct ReceiptCatcher {
  mobisync::metrics::Registry registry;
  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> statuses;
  std::vector<std::string> paths;
  MetricsServer server{"127.0.0.1:0", registry, {},
                       [this](std::string_view, std::string_view path, std::string_view body) {
                         Poco::JSON::Parser parser;
                         auto o = parser.parse(std::string(body))
                                      .extract<Poco::JSON::Object::Ptr>();
                         std::lock_guard lock(mutex);
                         paths.emplace_back(path);
                         statuses[o->getValue<std::string>("deliveryMessageId")].push_back(
                             o->getValue<std::string>("status"));
                         return MetricsServer::Reply{200, "application/json", "{}"};
                       }};
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + "/webhooks/" + kToken +
           "/receipt";
  }
  std::size_t finals() {
    std::lock_guard lock(mutex);
    std::size_t n = 0;
    for (const auto& [id, list] : statuses) n += list.size() == 2 ? 1 : 0;
    return n;
  }
};

}  // namespace

TEST_SUITE("plugin.http") {
  TEST_CASE("callback_url is sent as callbackURL and the simulator posts receipts to it") {
    ReceiptCatcher catcher;
    SimulatorOptions so;
    so.extra_args = {"--receipt-delay-ms", "10-100"};
    SimulatorProcess sim(so);
    auto config = jsonConfig(sim);
    config.set("callback_url", catcher.url(), "notify.toml:8:1");
    Instance sms(config);
    std::set<std::string> ids;
    ids.insert(sent(*sms, message("447930000001", "single")).message_id);
    auto batch = (*sms).sendBatch({message("447930000002", "a", "r1"),
                                   message("447930000003", "b", "r2")},
                                  {});
    REQUIRE(batch.has_value());
    for (const Delivery& d : *batch) ids.insert(d.message_id);
    REQUIRE(ids.size() == 3);
    REQUIRE(mobisync::test::eventually([&] { return catcher.finals() == 3; },
                                       std::chrono::seconds(30)));
    std::lock_guard lock(catcher.mutex);
    for (const auto& id : ids) {
      INFO(id);
      REQUIRE(catcher.statuses.count(id) == 1);
      CHECK(catcher.statuses[id] == std::vector<std::string>{"Sent", "Delivered"});
    }
    for (const auto& p : catcher.paths) CHECK(p == "/webhooks/" + kToken + "/receipt");
    CHECK(sms.channel->all().find(kToken) == std::string::npos);
  }

  TEST_CASE("a callback_url that is not an http(s) URL is refused without quoting it") {
    SimulatorProcess sim;
    auto config = jsonConfig(sim);
    config.set("callback_url", "ftp://host/webhooks/" + kToken, "notify.toml:8:1");
    Instance sms(config);
    REQUIRE_FALSE(sms.init_status.isOk());
    CHECK(sms.init_status.message().find("notify.toml:8:1") != std::string::npos);
    CHECK(sms.init_status.message().find(kToken) == std::string::npos);
  }
}
