// SPDX-License-Identifier: Apache-2.0
// HttpNotifier against the real simulator: sends, campaigns, opt-outs, faults, Simple API, HLR.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http_notifier.hpp"
#include "mobisync/sms/encoding.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

using mobisync::Errc;
using mobisync::Status;
using mobisync::plugin::BatchOptions;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::Delivery;
using mobisync::plugin::Message;
using mobisync::plugin::NumberStatus;
using mobisync::plugins::http::HttpNotifier;
using mobisync::test::SimMessage;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;
using Outcome = Delivery::Outcome;

namespace {

/// Keeps every log line so tests can check that no secret reached the log.
class RecordingChannel final : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(message.getText());
  }
  std::string all() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// One notifier instance with its config and a recording logger, as the host would set it up.
struct Instance {
  explicit Instance(ConfigValues values, const std::string& name = "sms")
      : config(std::move(values)),
        channel(new RecordingChannel),
        logger(Poco::Logger::get("mobisync.plugin.http." + name)) {
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_TRACE);
    notifier = std::make_unique<HttpNotifier>();
    init_status = notifier->init({name, config, logger});
  }
  ~Instance() {
    notifier->shutdown();
    logger.setChannel(nullptr);
  }
  HttpNotifier& operator*() {
    REQUIRE_MESSAGE(init_status.isOk(), init_status.message());
    return *notifier;
  }

  ConfigValues config;
  Poco::AutoPtr<RecordingChannel> channel;
  Poco::Logger& logger;
  std::unique_ptr<HttpNotifier> notifier;
  Status init_status;
};

ConfigValues jsonConfig(SimulatorProcess& sim) {
  ConfigValues c;
  c.set("json_base_url", sim.baseUrl(), "notify.toml:3:1");
  c.set("api_key", sim.apiKey(), "notify.toml:4:1");
  c.set("route_id", std::string("route-7"), "notify.toml:5:1");
  c.set("originator", std::string("MobiSync"), "notify.toml:6:1");
  c.set("timeout_ms", std::int64_t{20000}, "notify.toml:7:1");
  return c;
}

ConfigValues simpleConfig(SimulatorProcess& sim, const std::string& method) {
  ConfigValues c;
  c.set("api", std::string("simple"), "notify.toml:2:1");
  c.set("simple_url", sim.baseUrl() + "/gateway/api/simple/MT", "notify.toml:3:1");
  c.set("simple_method", method, "notify.toml:4:1");
  c.set("username", std::string("demo"), "notify.toml:5:1");
  c.set("password", std::string("demo-secret"), "notify.toml:6:1");
  c.set("route_id", std::string("route-7"), "notify.toml:7:1");
  c.set("originator", std::string("447930000000"), "notify.toml:8:1");
  return c;
}

Message message(const std::string& to, const std::string& text, const std::string& reference = "") {
  return Message{to, text, "", reference};
}

// Slack over a call's deadline for the watchdog to wake and the answer to be classified, on a
// machine shared with other builds.
constexpr auto kSlack = std::chrono::milliseconds(2000);

Delivery sent(HttpNotifier& n, const Message& m) {
  auto d = n.send(m);
  REQUIRE_MESSAGE(d.has_value(), (d ? std::string() : d.error().message()));
  return *d;
}

}  // namespace

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

  TEST_CASE("a 5xx answer is a Retry and a 429 carries its Retry-After") {
    SimulatorOptions options;
    options.error_rate = 1.0;
    SimulatorProcess sim(options);
    Instance sms(jsonConfig(sim));
    const Delivery d = sent(*sms, message("447930000001", "hi"));
    CHECK(d.outcome == Outcome::Retry);
    CHECK(d.detail.find("HTTP 500") != std::string::npos);
    auto batch = (*sms).sendBatch({message("447930000001", "a", "r1"),
                                   message("447930000002", "b", "r2")},
                                  {});
    REQUIRE(batch.has_value());
    for (const Delivery& each : *batch) CHECK(each.outcome == Outcome::Retry);

    sim.setFaults("error_rate=0&rate_429=1&retry_after=7");
    const Delivery slow = sent(*sms, message("447930000001", "hi"));
    CHECK(slow.outcome == Outcome::Retry);
    CHECK(slow.detail.find("HTTP 429") != std::string::npos);
    CHECK(slow.detail.find("retry_after_ms=7000") != std::string::npos);
    CHECK(sim.messages().empty());
  }

  TEST_CASE("no answer at all is a Retry naming the endpoint") {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = probe.address().port();
    probe.close();
    ConfigValues c;
    c.set("json_base_url", "http://127.0.0.1:" + std::to_string(port), "notify.toml:3:1");
    c.set("api_key", std::string("k-unused-123"), "notify.toml:4:1");
    c.set("route_id", std::string("route-7"), "notify.toml:5:1");
    c.set("originator", std::string("MobiSync"), "notify.toml:6:1");
    Instance sms(c);
    const Delivery d = sent(*sms, message("447930000001", "hi"));
    CHECK(d.outcome == Outcome::Retry);
    CHECK(d.detail.find("POST http://127.0.0.1:" + std::to_string(port) + "/send/single") == 0);
    CHECK(d.detail.find("connection refused") != std::string::npos);
    auto hlr = (*sms).lookup("447930000001");
    REQUIRE_FALSE(hlr.has_value());
    CHECK(hlr.error().retryable());
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

  TEST_CASE("a reset or a cut answer is a Retry and a stalled one times out as a Retry") {
    SimulatorProcess sim;
    ConfigValues c = jsonConfig(sim);
    c.set("timeout_ms", std::int64_t{500}, "notify.toml:7:1");
    Instance sms(c);
    SUBCASE("reset") {
      sim.setFaults("reset_rate=1");
      const Delivery d = sent(*sms, message("447930000001", "hi"));
      CHECK(d.outcome == Outcome::Retry);
      CHECK(d.detail.find("POST " + sim.baseUrl() + "/send/single: ") == 0);
    }
    SUBCASE("cut short") {
      sim.setFaults("truncate_rate=1");
      const Delivery d = sent(*sms, message("447930000001", "hi"));
      CHECK(d.outcome == Outcome::Retry);
    }
    SUBCASE("stalled") {
      sim.setFaults("stall_rate=1&stall_ms=5000");
      const Delivery d = sent(*sms, message("447930000001", "hi"));
      CHECK(d.outcome == Outcome::Retry);
      CHECK(d.detail.find("no complete answer within 500 ms") != std::string::npos);
    }
    sim.setFaults("reset_rate=0&truncate_rate=0&stall_rate=0");
    CHECK(sent(*sms, message("447930000001", "after")).outcome == Outcome::Ok);
  }

  TEST_CASE("an answer trickled a byte at a time ends at timeout_ms for every kind of request") {
    // The provider of issue 17: 200 without Content-Length, one byte every 0.5 s. Each read
    // arrives well within timeout_ms, so only a deadline for the whole exchange ends it.
    SimulatorOptions options;
    options.extra_args = {"--trickle-rate", "1", "--trickle-ms", "500"};
    SimulatorProcess sim(options);
    ConfigValues c = jsonConfig(sim);
    c.set("timeout_ms", std::int64_t{1000}, "notify.toml:7:1");
    Instance sms(c);
    ConfigValues s = simpleConfig(sim, "POST");
    s.set("timeout_ms", std::int64_t{1000}, "notify.toml:9:1");
    Instance simple(s, "simple");
    const auto within = [](auto&& call) {
      const auto start = std::chrono::steady_clock::now();
      call();
      const auto took = std::chrono::steady_clock::now() - start;
      CHECK(took >= std::chrono::milliseconds(900));
      CHECK(took < std::chrono::milliseconds(1000) + kSlack);
    };
    within([&] {
      const Delivery d = sent(*sms, message("447930000001", "hi"));
      CHECK(d.outcome == Outcome::Retry);
      CHECK(d.detail.find("POST " + sim.baseUrl() + "/send/single: no complete answer within "
                          "1000 ms") == 0);
    });
    within([&] {
      auto hlr = (*sms).lookup("447930000001");
      REQUIRE_FALSE(hlr.has_value());
      CHECK(hlr.error().retryable());
      CHECK(hlr.error().message().find("no complete answer within 1000 ms") != std::string::npos);
    });
    within([&] {
      auto batch = (*sms).sendBatch({message("447930000001", "a", "r1"),
                                     message("447930000002", "b", "r2")},
                                    BatchOptions{"trickled"});
      REQUIRE(batch.has_value());
      for (const Delivery& each : *batch) CHECK(each.outcome == Outcome::Retry);
    });
    within([&] {
      const Delivery d = sent(*simple, message("447930000001", "hi"));
      CHECK(d.outcome == Outcome::Retry);
      CHECK(d.detail.find("no complete answer within 1000 ms") != std::string::npos);
    });
  }

  TEST_CASE("an answer stalled midway ends at timeout_ms; a prompt one keeps its connection") {
    SimulatorOptions options;
    options.extra_args = {"--stall-body-rate", "1", "--stall-body-ms", "10000"};
    SimulatorProcess sim(options);
    ConfigValues c = jsonConfig(sim);
    c.set("timeout_ms", std::int64_t{1000}, "notify.toml:7:1");
    Instance sms(c);
    const auto start = std::chrono::steady_clock::now();
    const Delivery d = sent(*sms, message("447930000001", "hi"));
    CHECK(d.outcome == Outcome::Retry);
    CHECK(d.detail.find("no complete answer within 1000 ms") != std::string::npos);
    auto hlr = (*sms).lookup("447930000001");
    REQUIRE_FALSE(hlr.has_value());
    CHECK(hlr.error().message().find("no complete answer within 1000 ms") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2000) + kSlack);

    sim.setFaults("stall_body_rate=0");
    for (int i = 0; i < 5; ++i) {
      CHECK(sent(*sms, message("447930000001", "ok " + std::to_string(i))).outcome ==
            Outcome::Ok);
      REQUIRE((*sms).lookup("447930000001").has_value());
    }
    CHECK(sim.endpointCount("/send/single", "200") == 5);
    CHECK(sim.messages().size() == 6);  // the stalled send was processed, as a real one can be
  }

  TEST_CASE("HTTPS verifies the provider's certificate unless told not to") {
    TempDir dir;
    const auto cert = mobisync::test::makeSelfSignedCertificate(dir);
    SimulatorOptions options;
    options.tls_cert = cert.cert_file;
    options.tls_key = cert.key_file;
    SimulatorProcess sim(options);
    REQUIRE(sim.baseUrl().rfind("https://", 0) == 0);

    SUBCASE("trusted through ca_file: sent") {
      ConfigValues c = jsonConfig(sim);
      c.set("ca_file", cert.cert_file, "notify.toml:9:1");
      Instance sms(c);
      CHECK(sent(*sms, message("447930000001", "over TLS")).outcome == Outcome::Ok);
      auto hlr = (*sms).lookup("447930000001");
      CHECK(hlr.has_value());
      CHECK(sim.messages().size() == 1);
    }
    SUBCASE("not trusted: the call fails and the key never leaves") {
      Instance sms(jsonConfig(sim));
      auto d = (*sms).send(message("447930000001", "over TLS"));
      REQUIRE_FALSE(d.has_value());
      CHECK(d.error().code() == Errc::Rejected);
      CHECK(d.error().message().find("certificate") != std::string::npos);
      CHECK(sim.messages().empty());
    }
    SUBCASE("verify_tls = false: sent, with a warning") {
      ConfigValues c = jsonConfig(sim);
      c.set("verify_tls", false, "notify.toml:9:1");
      Instance sms(c, "insecure");
      CHECK(sent(*sms, message("447930000001", "over TLS")).outcome == Outcome::Ok);
      CHECK(sms.channel->all().find("verify_tls is false") != std::string::npos);
    }
    SUBCASE("an unreadable ca_file fails init naming the key") {
      ConfigValues c = jsonConfig(sim);
      c.set("ca_file", dir.file("missing.pem"), "notify.toml:9:1");
      Instance sms(c);
      REQUIRE_FALSE(sms.init_status.isOk());
      CHECK(sms.init_status.message().find("notify.toml:9:1: ca_file: ") == 0);
    }
  }
}
