// SPDX-License-Identifier: Apache-2.0
// HttpNotifier against the real simulator: server errors, resets, deadlines and TLS.
#include <doctest/doctest.h>

#include "http_notifier_sim_fixture.hpp"

using namespace http_sim_fixture;

TEST_SUITE("plugin.http") {
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

  TEST_CASE("an answer stalled midway ends at timeout_ms, a prompt one keeps its connection") {
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
