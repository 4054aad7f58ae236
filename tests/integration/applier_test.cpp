// SPDX-License-Identifier: Apache-2.0
// The Applier against the real mobivate-sim process: state, faults, retries and rejections.
#include <doctest/doctest.h>

#include "applier_fixture.hpp"

namespace mobisync::remote {

using namespace applier_fixture;

TEST_SUITE("integration.applier") {
  TEST_CASE("200 creates then 100 removes leave the simulator with what was asked") {
    SimulatorProcess sim(simOptions());
    Applier applier(settingsFor(sim));

    Collector created;
    const auto create_calls = calls(200, ProviderCall::Kind::Create);
    const ApplyStats c = applier.run(create_calls, created.fn());
    CHECK(c.succeeded == 200);
    CHECK(c.rejected == 0);
    CHECK(c.unavailable == 0);
    CHECK(c.retries == 0);
    CHECK(c.connections == 8);  // keep-alive: one connection per worker for 200 calls
    REQUIRE(created.results.size() == 200);
    for (const auto& [index, r] : created.results) {
      CHECK(r.status.isOk());
      REQUIRE(r.tokens.size() == 2);
      CHECK(r.tokens[0].ok);
      CHECK(r.tokens[1].ok);
    }

    auto subs = sim.subscriptions();
    REQUIRE(subs.size() == 200);
    for (std::size_t i = 0; i < 200; ++i) {
      CHECK(subs[msisdnOf(i)] == std::set<std::string>{"contacts:42", "optouts:sms"});
    }
    // Names and references survive the URL encoding byte for byte.
    const Poco::JSON::Array::Ptr contacts = sim.contacts();
    std::map<std::string, std::pair<std::string, std::string>> details;
    for (std::size_t i = 0; i < contacts->size(); ++i) {
      const auto o = contacts->getObject(static_cast<unsigned>(i));
      details[o->getValue<std::string>("msisdn")] = {o->getValue<std::string>("name"),
                                                     o->getValue<std::string>("reference")};
    }
    CHECK(details[msisdnOf(7)].first == "Zoë O'Brien & Co 7");
    CHECK(details[msisdnOf(7)].second == "ref 7/x?y");

    std::vector<ProviderCall> removals = calls(100, ProviderCall::Kind::Remove);
    Collector removed;
    const ApplyStats r = applier.run(removals, removed.fn());
    CHECK(r.succeeded == 100);
    subs = sim.subscriptions();
    CHECK(subs.size() == 100);
    CHECK(subs.count(msisdnOf(0)) == 0);
    CHECK(subs.count(msisdnOf(99)) == 0);
    CHECK(subs.count(msisdnOf(100)) == 1);
    CHECK(subs.count(msisdnOf(199)) == 1);
  }

  TEST_CASE("a token the provider does not know fails alone") {
    SimulatorProcess sim(simOptions());
    Applier applier(settingsFor(sim));
    Collector got;
    const ApplyStats stats =
        applier.run(calls(5, ProviderCall::Kind::Create, {"contacts:42", "contacts:abc"}),
                    got.fn());
    CHECK(stats.succeeded == 5);
    for (const auto& [index, r] : got.results) {
      CHECK(r.status.isOk());
      REQUIRE(r.tokens.size() == 2);
      CHECK(r.tokens[0].application == "contacts:42");
      CHECK(r.tokens[0].ok);
      CHECK(r.tokens[1].application == "contacts:abc");
      CHECK_FALSE(r.tokens[1].ok);
      CHECK(r.tokens[1].detail == "invalid application");
    }
    CHECK(sim.subscriptions()[msisdnOf(3)] == std::set<std::string>{"contacts:42"});
  }

  TEST_CASE("with 30% server errors every call still succeeds and the retries are counted") {
    SimulatorOptions o = simOptions();
    o.error_rate = 0.3;
    o.seed = 7;
    SimulatorProcess sim(o);
    Applier applier(settingsFor(sim));
    Collector got;
    const ApplyStats stats = applier.run(calls(150, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.succeeded == 150);
    CHECK(stats.unavailable == 0);
    const std::size_t errors = countStatus(sim, 500);
    CHECK(errors > 10);  // the faults really happened
    CHECK(stats.retries == errors);
    CHECK(sim.requests()->size() == 150 + errors);
    CHECK(sim.subscriptions().size() == 150);
    std::size_t attempts = 0;
    for (const auto& [index, r] : got.results) {
      attempts += static_cast<std::size_t>(r.attempts);
    }
    CHECK(attempts == 150 + errors);
  }

  TEST_CASE("a 429 is retried no sooner than its Retry-After") {
    SimulatorOptions o = simOptions();
    o.rate_429 = 0.3;
    o.seed = 3;
    o.extra_args = {"--retry-after", "1"};
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 1;  // one worker: every Retry-After wait adds to the run's duration
    s.backoff_max = std::chrono::milliseconds(2000);  // above the 1 s the server asks for
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(6, ProviderCall::Kind::Create), got.fn());
    const auto elapsed = std::chrono::steady_clock::now() - started;

    const std::size_t throttled = countStatus(sim, 429);
    REQUIRE(throttled >= 1);  // fixed by the seed
    CHECK(stats.succeeded == 6);
    CHECK(stats.retries == throttled);
    // A lower bound only, so it cannot flake: without Retry-After the backoff would be <= 1 ms.
    CHECK(elapsed >= std::chrono::seconds(1) * static_cast<long>(throttled));
    for (const auto& [msisdn, reqs] : requestsByMsisdn(sim)) {
      CHECK(reqs.back()->getValue<int>("status") == 200);
    }
  }

  TEST_CASE("rejected numbers are dropped after exactly one request each") {
    SimulatorOptions o = simOptions();
    o.extra_args = {"--reject-msisdn", "4490"};
    SimulatorProcess sim(o);
    Applier applier(settingsFor(sim));
    std::vector<ProviderCall> all = calls(10, ProviderCall::Kind::Create);
    for (auto& c : calls(10, ProviderCall::Kind::Create, {"contacts:42"}, "4490")) {
      all.push_back(c);
    }
    Collector got;
    const ApplyStats stats = applier.run(all, got.fn());
    CHECK(stats.succeeded == 10);
    CHECK(stats.rejected == 10);
    CHECK(stats.retries == 0);
    for (std::size_t i = 10; i < 20; ++i) {
      const CallResult& r = got.results.at(i);
      CHECK(r.status.code() == Errc::Rejected);
      CHECK(r.attempts == 1);
      CHECK(r.http_status == 400);
      CHECK(r.status.message().find("msisdn rejected") != std::string::npos);
    }
    const auto by_msisdn = requestsByMsisdn(sim);
    for (std::size_t i = 0; i < 10; ++i) {
      REQUIRE(by_msisdn.count(msisdnOf(i, "4490")) == 1);
      CHECK(by_msisdn.at(msisdnOf(i, "4490")).size() == 1);
    }
  }
}

}  // namespace mobisync::remote
