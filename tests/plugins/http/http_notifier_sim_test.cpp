// SPDX-License-Identifier: Apache-2.0
// HttpNotifier against the real simulator: sends, campaigns, opt-outs, refusals, Simple API, HLR.
#include <doctest/doctest.h>

#include "http_notifier_sim_fixture.hpp"

using namespace http_sim_fixture;

TEST_SUITE("plugin.http") {
  TEST_CASE("a single send is recorded by the simulator with the right fields") {
    SimulatorProcess sim;
    ConfigValues c = jsonConfig(sim);
    c.set("campaign_id", std::string("camp-9"), "notify.toml:8:1");
    Instance sms(c);
    const Delivery d = sent(*sms, message("447930000001", "Welcome Anna, [code] 42€", "ref-1"));
    CHECK(d.outcome == Outcome::Ok);
    CHECK_FALSE(d.message_id.empty());
    CHECK(d.detail == "accepted: GSM-7, 1 part");

    const std::vector<SimMessage> got = sim.messages();
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == d.message_id);
    CHECK(got[0].api == "single");
    CHECK(got[0].originator == "MobiSync");
    CHECK(got[0].recipient == "447930000001");
    CHECK(got[0].text == "Welcome Anna, [code] 42€");
    CHECK(got[0].route_id == "route-7");
    CHECK(got[0].reference == "ref-1");
    CHECK(got[0].campaign_id == "camp-9");
    CHECK(got[0].coding == "GSM-7");
    CHECK(got[0].parts == 1);

    SUBCASE("a message's own originator wins over the default") {
      Message m = message("447930000001", "again");
      m.originator = "447700900123";
      CHECK(sent(*sms, m).outcome == Outcome::Ok);
      CHECK(sim.messages().back().originator == "447700900123");
    }
  }

  TEST_CASE("UCS-2 text reaches the simulator intact with its part count") {
    SimulatorProcess sim;
    Instance sms(jsonConfig(sim));
    std::string text;
    for (int i = 0; i < 14; ++i) text += "Привет 😀 ";
    const auto encoded = mobisync::sms::encode(text);
    REQUIRE(encoded.has_value());
    REQUIRE(encoded->partCount() == 3);
    const Delivery d = sent(*sms, message("447930000001", text));
    CHECK(d.outcome == Outcome::Ok);
    CHECK(d.detail == "accepted: UCS-2, 3 parts");
    const auto got = sim.messages();
    REQUIRE(got.size() == 1);
    CHECK(got[0].text == text);
    CHECK(got[0].coding == "UCS-2");
    CHECK(got[0].parts == 3);
  }

  TEST_CASE("a batch of 2500 goes out as 3 campaign requests with unique references") {
    SimulatorProcess sim;
    ConfigValues c = jsonConfig(sim);
    c.set("batch_chunk", std::int64_t{1000}, "notify.toml:9:1");
    Instance sms(c);
    std::vector<Message> batch;
    for (int i = 0; i < 2500; ++i) {
      batch.push_back(message("4479300" + std::to_string(10000 + i), "Hello #" + std::to_string(i),
                              "welcome-" + std::to_string(i)));
    }
    auto result = (*sms).sendBatch(batch, BatchOptions{"crm welcome run 1"});
    REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().message()));
    REQUIRE(result->size() == 2500);
    std::set<std::string> ids;
    for (const Delivery& d : *result) {
      CHECK(d.outcome == Outcome::Ok);
      ids.insert(d.message_id);
    }
    CHECK(ids.size() == 2500);

    CHECK(sim.endpointCount("/send/batch", "200") == 3);
    const auto got = sim.messages();
    REQUIRE(got.size() == 2500);
    std::set<std::string> references;
    std::map<std::string, int> per_campaign;
    for (const SimMessage& m : got) {
      CHECK(m.api == "batch");
      references.insert(m.reference);
      ++per_campaign[m.campaign_id];
      CHECK(ids.count(m.id) == 1);
    }
    CHECK(references.size() == 2500);
    CHECK(references.count("welcome-0") == 1);
    CHECK(references.count("welcome-2499") == 1);
    REQUIRE(per_campaign.size() == 3);
    std::multiset<int> sizes;
    for (const auto& [campaign, count] : per_campaign) sizes.insert(count);
    CHECK(sizes == std::multiset<int>{500, 1000, 1000});
  }

  TEST_CASE("references that repeat in one batch are refused before anything is sent") {
    SimulatorProcess sim;
    Instance sms(jsonConfig(sim));
    auto result = (*sms).sendBatch(
        {message("447930000001", "a", "same"), message("447930000002", "b", "same")}, {});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code() == Errc::Internal);
    CHECK(result.error().message().find("reference \"same\" is used by messages 1 and 2") !=
          std::string::npos);
    CHECK(sim.messages().empty());
  }

  TEST_CASE("an opted-out recipient is dropped and the others are still sent") {
    SimulatorOptions options;
    options.optouts = {"447930000002"};
    SimulatorProcess sim(options);
    Instance sms(jsonConfig(sim));

    SUBCASE("single sends") {
      const Delivery refused = sent(*sms, message("447930000002", "hi"));
      CHECK(refused.outcome == Outcome::Drop);
      CHECK(refused.detail.find("HTTP 403") != std::string::npos);
      CHECK(refused.detail.find("recipient opted out") != std::string::npos);
      CHECK(sent(*sms, message("447930000003", "hi")).outcome == Outcome::Ok);
      REQUIRE(sim.messages().size() == 1);
      CHECK(sim.messages()[0].recipient == "447930000003");
    }
    SUBCASE("a campaign") {
      auto result = (*sms).sendBatch({message("447930000001", "a", "r1"),
                                      message("447930000002", "b", "r2"),
                                      message("447930000003", "c", "r3")},
                                     {});
      REQUIRE(result.has_value());
      REQUIRE(result->size() == 3);
      CHECK((*result)[0].outcome == Outcome::Ok);
      CHECK((*result)[1].outcome == Outcome::Drop);
      CHECK((*result)[1].detail.find("excluded") != std::string::npos);
      CHECK((*result)[2].outcome == Outcome::Ok);
      const auto got = sim.messages();
      REQUIRE(got.size() == 2);
      CHECK(got[0].recipient == "447930000001");
      CHECK(got[1].recipient == "447930000003");
    }
  }

  TEST_CASE("messages that cannot be sent as given are dropped without a request") {
    SimulatorProcess sim;
    Instance sms(jsonConfig(sim));
    Message bad_originator = message("447930000001", "x");
    bad_originator.originator = "MuchTooLongSender";
    const Delivery a = sent(*sms, bad_originator);
    CHECK(a.outcome == Outcome::Drop);
    CHECK(a.detail.find("at most 11") != std::string::npos);
    CHECK(sent(*sms, message("+447930000001", "x")).outcome == Outcome::Drop);
    CHECK(sent(*sms, message("447930000001", "")).outcome == Outcome::Drop);
    const Delivery utf8 = sent(*sms, message("447930000001", "bad \xC3\x28"));
    CHECK(utf8.outcome == Outcome::Drop);
    CHECK(utf8.detail.find("invalid UTF-8 at byte 4") != std::string::npos);

    auto batch = (*sms).sendBatch({bad_originator, message("447930000009", "fine", "ok-1")}, {});
    REQUIRE(batch.has_value());
    CHECK((*batch)[0].outcome == Outcome::Drop);
    CHECK((*batch)[1].outcome == Outcome::Ok);
    REQUIRE(sim.messages().size() == 1);
    CHECK(sim.messages()[0].reference == "ok-1");
  }

  TEST_CASE("a refused API key fails the call and no text holds the key") {
    SimulatorProcess sim;
    ConfigValues c = jsonConfig(sim);
    const std::string wrong = "wrong-key-5f0c2a9e";
    c.set("api_key", wrong, "notify.toml:4:1");
    Instance sms(c);
    auto single = (*sms).send(message("447930000001", "hi"));
    REQUIRE_FALSE(single.has_value());
    CHECK(single.error().code() == Errc::Rejected);
    CHECK(single.error().message().find("HTTP 401") != std::string::npos);
    CHECK(single.error().message().find("API key") != std::string::npos);
    auto batch = (*sms).sendBatch({message("447930000001", "a", "r1")}, {});
    REQUIRE_FALSE(batch.has_value());
    CHECK(batch.error().code() == Errc::Rejected);
    auto hlr = (*sms).lookup("447930000001");
    REQUIRE_FALSE(hlr.has_value());
    CHECK(hlr.error().code() == Errc::Rejected);
    for (const std::string& text :
         {single.error().message(), batch.error().message(), hlr.error().message(), sms.channel->all()}) {
      CHECK(text.find(wrong) == std::string::npos);
    }
    CHECK(sim.messages().empty());
  }

  TEST_CASE("an invalid originator fails init naming the key's position") {
    SimulatorProcess sim;
    ConfigValues c = jsonConfig(sim);
    c.set("originator", std::string("Sender-Name-Too-Long"), "notify.toml:12:3");
    Instance sms(c);
    REQUIRE_FALSE(sms.init_status.isOk());
    CHECK(sms.init_status.code() == Errc::InvalidConfig);
    CHECK(sms.init_status.message().find("notify.toml:12:3: originator: ") == 0);
    CHECK(sms.init_status.message().find("at most 11") != std::string::npos);
  }

  TEST_CASE("the Simple API sends by GET and by POST") {
    SimulatorProcess sim;
    for (const std::string method : {"GET", "POST"}) {
      CAPTURE(method);
      sim.reset();
      Instance sms(simpleConfig(sim, method), "simple" + method);
      const std::string text = "Hi & welcome: 1+1=2? 100% é € [x]";
      const Delivery d = sent(*sms, message("447930000001", text));
      CHECK(d.outcome == Outcome::Ok);
      CHECK_FALSE(d.message_id.empty());
      const auto got = sim.messages();
      REQUIRE(got.size() == 1);
      CHECK(got[0].api == "simple");
      CHECK(got[0].id == d.message_id);
      CHECK(got[0].text == text);
      CHECK(got[0].originator == "447930000000");
      CHECK(got[0].route_id == "route-7");
      CHECK(got[0].recipient == "447930000001");
    }
  }

  TEST_CASE("a batch through the Simple API goes out one message at a time") {
    SimulatorProcess sim;
    Instance sms(simpleConfig(sim, "POST"));
    Message bad = message("447930000003", "c", "r3");
    bad.originator = "Not:Valid{}";
    auto result = (*sms).sendBatch(
        {message("447930000001", "a", "r1"), message("447930000002", "b", "r2"), bad}, {});
    REQUIRE(result.has_value());
    REQUIRE(result->size() == 3);
    CHECK((*result)[0].outcome == Outcome::Ok);
    CHECK((*result)[1].outcome == Outcome::Ok);
    CHECK((*result)[2].outcome == Outcome::Drop);
    const auto got = sim.messages();
    REQUIRE(got.size() == 2);
    CHECK(got[0].api == "simple");
    CHECK(got[1].recipient == "447930000002");
    CHECK(sim.endpointCount("/gateway/api/simple/MT", "200") == 2);
  }

  TEST_CASE("the Simple API's refused password fails the call without the password in any text") {
    SimulatorProcess sim;
    ConfigValues c = simpleConfig(sim, "GET");
    const std::string wrong = "not-the-password-77";
    c.set("password", wrong, "notify.toml:6:1");
    Instance sms(c);
    auto d = (*sms).send(message("447930000001", "hi"));
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().code() == Errc::Rejected);
    CHECK(d.error().message().find("401") != std::string::npos);
    CHECK(d.error().message().find(wrong) == std::string::npos);
    CHECK(sms.channel->all().find(wrong) == std::string::npos);
    CHECK(sim.messages().empty());
  }

  TEST_CASE("HLR lookups tell active numbers from absent ones") {
    SimulatorOptions options;
    options.hlr_inactive = {"447930000002"};
    SimulatorProcess sim(options);
    Instance sms(jsonConfig(sim));
    auto active = (*sms).lookup("447930000001");
    REQUIRE_MESSAGE(active.has_value(), (active ? std::string() : active.error().message()));
    CHECK(active->state == NumberStatus::State::Active);
    CHECK_FALSE(active->network.empty());
    CHECK(active->country == "GB");
    CHECK(active->detail.find("DELIVERED") == 0);

    auto absent = (*sms).lookup("447930000002");
    REQUIRE(absent.has_value());
    CHECK(absent->state == NumberStatus::State::Inactive);
    CHECK(absent->detail.find("UNDELIVERABLE") == 0);
    CHECK(absent->detail.find("EC_ABSENT_SUBSCRIBER") != std::string::npos);

    auto bad = (*sms).lookup("+44 7930");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code() == Errc::Rejected);
  }
}
