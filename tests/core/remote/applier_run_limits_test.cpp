// SPDX-License-Identifier: Apache-2.0
// Applier::run against an in-process loopback HTTP server: concurrency, rate limits, bad URLs,
// secrets in the log and the circuit breaker.
#include <doctest/doctest.h>

#include "applier_run_fixture.hpp"

namespace mobisync::remote {

using namespace applier_run_fixture;

TEST_SUITE("core.remote") {
  TEST_CASE("an exception from on_batch stops the workers and reaches the caller") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    CHECK_THROWS_AS(applier.run(calls(400),
                                [](const std::vector<Completed>&) {
                                  throw std::runtime_error("disk full");
                                }),
                    std::runtime_error);
  }

  TEST_CASE("the workers really run concurrently") {
    // Each request waits until four are inside the server at once (or a generous limit), so the
    // peak is a fact of the server, not of timing.
    std::mutex m;
    std::condition_variable cv;
    int inside = 0;
    int max_inside = 0;
    FakeProvider provider([&](const Query& q) {
      std::unique_lock lock(m);
      ++inside;
      max_inside = std::max(max_inside, inside);
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(5), [&] { return max_inside >= 4; });
      --inside;
      return okFor(q);
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 4;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(16), got.fn());
    CHECK(stats.succeeded == 16);
    CHECK(max_inside == 4);
    CHECK(stats.peak_in_flight == 4);
  }

  TEST_CASE("a rate limit spaces the calls of all workers together") {
    FakeProvider provider(okFor);
    config::ProviderSettings s = settingsFor(provider);
    s.rate_per_second = 100;  // one call per 10 ms, whatever the concurrency
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(21), got.fn());
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(stats.succeeded == 21);
    // A lower bound only, so it cannot flake: 21 calls need 20 intervals of 10 ms.
    CHECK(elapsed >= std::chrono::milliseconds(200));
  }

  TEST_CASE("a bad base URL fails every call with one clear error") {
    config::ProviderSettings s;
    s.base_url = "tasks-wave.example";
    s.password = kPassword;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(3), got.fn());
    CHECK(got.all.size() == 3);
    CHECK(stats.rejected == 3);
    CHECK(got.result(0).status.code() == Errc::InvalidConfig);
    CHECK(got.result(0).status.message().find("base_url") != std::string::npos);
  }

  TEST_CASE("the password never reaches the debug log") {
    std::mutex m;
    std::map<std::string, int> seen;
    FakeProvider provider([&](const Query& q) {
      std::lock_guard lock(m);
      return ++seen[q.at("msisdn")] == 1 ? Answer{429, "{}", "0"} : okFor(q);
    });
    Poco::Logger& log = Poco::Logger::get("mobisync.remote");
    Poco::AutoPtr<CaptureChannel> capture(new CaptureChannel);
    Poco::AutoPtr<Poco::Channel> old_channel(log.getChannel(), true);
    const int old_level = log.getLevel();
    log.setChannel(capture);
    log.setLevel(Poco::Message::PRIO_TRACE);

    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(10), got.fn());

    log.setChannel(old_channel);
    log.setLevel(old_level);
    const std::string text = capture->text();
    CHECK(stats.succeeded == 10);
    CHECK(stats.retries == 10);
    CHECK(text.find("retry 2/4") != std::string::npos);
    CHECK(text.find("password=***") != std::string::npos);
    CHECK(text.find(kPassword) == std::string::npos);
    for (const auto& c : got.all) {
      CHECK(c.result.status.message().find(kPassword) == std::string::npos);
    }
  }

  TEST_CASE("a provider that refuses every connection trips the circuit breaker at once") {
    // A port nobody listens on: every attempt is refused without an HTTP answer.
    int closed_port = 0;
    {
      Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
      closed_port = probe.address().port();
    }
    config::ProviderSettings s;
    s.base_url = "http://127.0.0.1:" + std::to_string(closed_port);
    s.username = "acme";
    s.password = kPassword;
    s.concurrency = 4;
    s.max_attempts = 6;
    s.timeout = std::chrono::milliseconds(2000);
    // Without the breaker each call would back off 5 times (about 3 s of sleeping per call).
    s.backoff_initial = std::chrono::milliseconds(200);
    s.backoff_max = std::chrono::milliseconds(1000);
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(3000), got.fn());
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(stats.breaker_tripped);
    CHECK(stats.provider_failed);
    CHECK(stats.succeeded == 0);
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 3000);
    CHECK(stats.not_made >= 3000 - 8);
    CHECK(stats.halt_reason.find("gave no answer to 5 calls in a row") != std::string::npos);
    CHECK(stats.halt_reason.find("connection refused") != std::string::npos);
    CHECK(stats.halt_reason.find(kPassword) == std::string::npos);
    // The bare reason; the calls it left say "not sent: <reason>".
    CHECK(stats.halt_reason.rfind("the provider at http://127.0.0.1:", 0) == 0);
    std::size_t said_not_sent = 0;
    for (const auto& c : got.all) {
      said_not_sent += c.result.status.message() == "not sent: " + stats.halt_reason ? 1 : 0;
    }
    CHECK(said_not_sent >= 3000 - 8);
    // A bound, not a speed: 3000 calls each backing off would take minutes.
    CHECK(took < std::chrono::seconds(10));
  }
}

}  // namespace mobisync::remote
