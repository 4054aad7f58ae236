// SPDX-License-Identifier: Apache-2.0
// Applier::run against an in-process loopback HTTP server: batching, retries, credentials, stops.
#include <doctest/doctest.h>

#include "applier_run_fixture.hpp"

namespace mobisync::remote {

using namespace applier_run_fixture;

TEST_SUITE("core.remote") {
  TEST_CASE("every call is reported exactly once in batches on the calling thread") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(300), got.fn());

    CHECK_FALSE(got.wrong_thread);
    REQUIRE(got.all.size() == 300);
    std::set<std::size_t> seen;
    for (const auto& c : got.all) {
      seen.insert(c.index);
      CHECK(c.result.status.isOk());
      CHECK(c.result.attempts == 1);
      REQUIRE(c.result.tokens.size() == 2);
      CHECK(c.result.tokens[0].ok);
      CHECK(c.result.tokens[1].ok);
    }
    CHECK(seen.size() == 300);
    CHECK(stats.succeeded == 300);
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 0);
    CHECK(stats.retries == 0);
    CHECK(got.batches >= 1);
    CHECK(got.batches <= 300);
    CHECK(stats.connections == 4);  // one keep-alive connection per worker
    CHECK(stats.peak_in_flight >= 1);
    CHECK(stats.peak_in_flight <= 4);
  }

  TEST_CASE("no calls means no batches") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run({}, got.fn());
    CHECK(got.batches == 0);
    CHECK(stats.succeeded == 0);
  }

  TEST_CASE("a call that fails twice and then succeeds is retried and counted") {
    std::mutex m;
    std::map<std::string, int> seen;
    FakeProvider provider([&](const Query& q) {
      int n = 0;
      {
        std::lock_guard lock(m);
        n = ++seen[q.at("msisdn")];
      }
      return n <= 2 ? Answer{503, "{}", ""} : okFor(q);
    });
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(20), got.fn());
    CHECK(stats.succeeded == 20);
    CHECK(stats.retries == 40);
    for (const auto& c : got.all) {
      CHECK(c.result.attempts == 3);
      CHECK(c.result.http_status == 200);
    }
  }

  TEST_CASE("retries stop at max_attempts with the last error") {
    FakeProvider provider([](const Query&) { return Answer{503, R"({"message":"down"})", ""}; });
    config::ProviderSettings s = settingsFor(provider);
    s.max_attempts = 3;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(5), got.fn());
    CHECK(stats.unavailable == 5);
    CHECK(stats.retries == 10);
    const CallResult& r = got.result(0);
    CHECK(r.status.code() == Errc::Unavailable);
    CHECK(r.attempts == 3);
    CHECK(r.http_status == 503);
    CHECK(r.status.message().find("gave up after 3 attempts") != std::string::npos);
    CHECK(r.status.message().find("HTTP 503") != std::string::npos);
  }

  TEST_CASE("a rejected call is not retried") {
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query&) {
      ++requests;
      return Answer{400, R"({"message":"Invalid msisdn"})", ""};
    });
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(6), got.fn());
    CHECK(stats.rejected == 6);
    CHECK(stats.retries == 0);
    CHECK(requests.load() == 6);
    CHECK(got.result(3).status.code() == Errc::Rejected);
    CHECK(got.result(3).status.message().find("Invalid msisdn") != std::string::npos);
  }

  TEST_CASE("refused credentials stop the run after the calls in flight") {
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query&) {
      ++requests;
      return Answer{200, R"({"code":401,"message":"Not Authenticated"})", ""};
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 2;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(200), got.fn());
    CHECK(stats.auth_failed);
    CHECK(got.all.size() == 200);
    CHECK(requests.load() <= 2);  // at most one per worker
    // A 401 is about the account, not the number: no call counts as refused, none is confirmed.
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 200);
    CHECK(stats.not_made == 200 - static_cast<std::size_t>(requests.load()));
    std::size_t not_sent = 0;
    for (const auto& c : got.all) {
      CHECK(c.result.status.code() == Errc::Unavailable);
      if (c.result.attempts == 0) {
        CHECK(c.result.status.message() == "not sent: the provider refused the credentials");
        ++not_sent;
      } else {
        CHECK(c.result.status.message() == kAuthFailedMessage);
      }
    }
    CHECK(not_sent >= 198);
  }

  TEST_CASE("a stop finishes the calls in flight and reports the rest as stopped") {
    // The first request is answered at once; later ones are held until the stop is set, so the
    // calls in flight at the stop are known: at most one per worker.
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query& q) {
      if (++requests > 1) {
        while (!stop) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      return okFor(q);
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 2;
    Applier applier(s);
    Collector got;
    const auto collect = got.fn();
    const ApplyStats stats = applier.run(
        calls(500),
        [&](const std::vector<Completed>& batch) {
          collect(batch);
          stop = true;
        },
        &stop);
    REQUIRE(got.all.size() == 500);
    CHECK(stats.succeeded >= 1);
    CHECK(stats.succeeded <= 3);  // the first call, plus one in flight per worker
    CHECK(stats.unavailable == 500 - stats.succeeded);
    CHECK(requests.load() == static_cast<int>(stats.succeeded));
    std::set<std::size_t> seen;
    for (const auto& c : got.all) {
      seen.insert(c.index);
      if (!c.result.status.isOk()) {
        CHECK(c.result.status.message() == "stopped");
        CHECK(c.result.attempts == 0);
      }
    }
    CHECK(seen.size() == 500);
  }

  TEST_CASE("a stop interrupts a backoff sleep") {
    std::atomic<bool> stop{false};
    FakeProvider provider([&](const Query&) {
      stop = true;  // the worker is about to sleep an hour before its retry
      return Answer{503, "{}", ""};
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 1;
    s.backoff_initial = std::chrono::hours(1);
    s.backoff_max = std::chrono::hours(1);
    s.max_attempts = 5;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(3), got.fn(), &stop);
    CHECK(stats.unavailable == 3);
    REQUIRE(got.all.size() == 3);
    CHECK(got.result(0).attempts == 1);
    CHECK(got.result(0).status.message().find("stopped after 1 attempts: ") == 0);
    CHECK(got.result(1).status.message() == "stopped");
  }
}

}  // namespace mobisync::remote
