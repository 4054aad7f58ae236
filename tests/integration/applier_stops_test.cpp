// SPDX-License-Identifier: Apache-2.0
// The Applier against the real mobivate-sim process: auth failures, concurrency, stops and
// secrets.
#include <doctest/doctest.h>

#include "applier_fixture.hpp"

namespace mobisync::remote {

using namespace applier_fixture;

TEST_SUITE("integration.applier") {
  TEST_CASE("a wrong password stops the run early with an auth failure") {
    SimulatorProcess sim(simOptions());
    config::ProviderSettings s = settingsFor(sim);
    s.password = "not-the-password";
    s.concurrency = 4;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(500, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.auth_failed);
    CHECK(got.results.size() == 500);
    const std::size_t sent = sim.requests()->size();
    CHECK(sent >= 1);
    CHECK(sent <= 4);  // at most the calls in flight when the first 401 came back
    // A 401 is about the account, not a number: no call counts as refused.
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 500);
    CHECK(stats.not_made == 500 - sent);
    CHECK(stats.retries == 0);
    for (const auto& [index, r] : got.results) {
      CHECK(r.status.code() == Errc::Unavailable);
      if (r.attempts > 0) {
        CHECK(r.status.message() == kAuthFailedMessage);
        CHECK(r.http_status == 401);
      } else {
        CHECK(r.status.message() == "not sent: the provider refused the credentials");
      }
    }
    CHECK(sim.subscriptions().empty());
  }

  TEST_CASE("eight workers have eight requests in flight at once") {
    SimulatorOptions o = simOptions();
    o.latency_ms = 50;
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 8;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(32, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.succeeded == 32);
    CHECK(stats.peak_in_flight == 8);
    CHECK(stats.connections == 8);
    CHECK(sim.requests()->size() == 32);
  }

  TEST_CASE("a stop lets the calls in flight finish and reports the rest as stopped") {
    SimulatorOptions o = simOptions();
    o.latency_ms = 20;
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 4;
    Applier applier(s);
    std::atomic<bool> stop{false};
    Collector got;
    const auto collect = got.fn();
    const ApplyStats stats = applier.run(
        calls(400, ProviderCall::Kind::Create),
        [&](const std::vector<Completed>& batch) {
          collect(batch);
          if (got.results.size() >= 8) {
            stop = true;
          }
        },
        &stop);
    CHECK(got.results.size() == 400);
    CHECK(stats.succeeded >= 8);
    CHECK(stats.succeeded < 400);
    CHECK(stats.succeeded + stats.unavailable == 400);
    // Every request the simulator saw was completed and reported as a success: nothing was
    // abandoned half-way.
    CHECK(sim.requests()->size() == stats.succeeded);
    CHECK(sim.subscriptions().size() == stats.succeeded);
    for (const auto& [index, r] : got.results) {
      if (!r.status.isOk()) {
        CHECK(r.status.message() == "stopped");
        CHECK(r.attempts == 0);
      }
    }
  }

  TEST_CASE("the password appears in no log line and no result") {
    SimulatorOptions o = simOptions();
    o.error_rate = 0.5;
    o.rate_429 = 0.2;
    o.extra_args = {"--retry-after", "0", "--reject-msisdn", "4490"};
    SimulatorProcess sim(o);
    LogCapture capture;
    std::vector<std::string> messages;
    const auto collect = [&](const std::vector<Completed>& batch) {
      for (const auto& c : batch) {
        messages.push_back(c.result.status.message());
        for (const auto& t : c.result.tokens) {
          messages.push_back(t.detail);
        }
      }
    };

    config::ProviderSettings s = settingsFor(sim);
    s.max_attempts = 3;
    Applier(s).run(calls(40, ProviderCall::Kind::Create), collect);
    Applier(s).run(calls(5, ProviderCall::Kind::Create, {"contacts:42"}, "4490"), collect);
    s.password = "Wrong-" + std::string(kPassword);
    Applier(s).run(calls(5, ProviderCall::Kind::Create), collect);

    const std::string text = capture.text();
    CHECK(text.find("retry 2/3") != std::string::npos);  // retries were logged, with URLs
    CHECK(text.find("password=***") != std::string::npos);
    CHECK(text.find("username=acme") != std::string::npos);
    CHECK(text.find(kPassword) == std::string::npos);
    CHECK(text.find("Sim-S3cret") == std::string::npos);
    CHECK(text.find("Sim-S3cret%26word") == std::string::npos);
    for (const auto& m : messages) {
      CHECK(m.find("Sim-S3cret") == std::string::npos);
    }
  }
}

}  // namespace mobisync::remote
