// SPDX-License-Identifier: Apache-2.0
// Unit tests of the shared rate limiter, on an injected clock.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "remote/rate_limiter.hpp"

namespace mobisync::remote {
namespace {

using std::chrono::milliseconds;
using Clock = RateLimiter::Clock;

struct ManualClock {
  Clock::time_point now = Clock::time_point(std::chrono::hours(1));
  RateLimiter::NowFn fn() {
    return [this] { return now; };
  }
};

milliseconds ms(Clock::duration d) { return std::chrono::duration_cast<milliseconds>(d); }

}  // namespace

TEST_SUITE("core.remote") {
  TEST_CASE("an unlimited limiter never makes anyone wait") {
    RateLimiter r(0);
    CHECK(r.unlimited());
    for (int i = 0; i < 100; ++i) {
      CHECK(r.reserve() == Clock::duration::zero());
    }
  }

  TEST_CASE("callers at one instant are spaced one interval apart") {
    ManualClock clock;
    RateLimiter r(10, 1, clock.fn());  // one every 100 ms
    CHECK_FALSE(r.unlimited());
    CHECK(ms(r.reserve()) == milliseconds(0));
    CHECK(ms(r.reserve()) == milliseconds(100));
    CHECK(ms(r.reserve()) == milliseconds(200));
    clock.now += milliseconds(150);
    CHECK(ms(r.reserve()) == milliseconds(150));  // slot at 300 ms, now is 150 ms
  }

  TEST_CASE("a caller spaced at the rate never waits") {
    ManualClock clock;
    RateLimiter r(50, 1, clock.fn());  // one every 20 ms
    for (int i = 0; i < 100; ++i) {
      CHECK(ms(r.reserve()) == milliseconds(0));
      clock.now += milliseconds(20);
    }
  }

  TEST_CASE("an idle limiter does not bank more than the burst") {
    ManualClock clock;
    RateLimiter r(10, 3, clock.fn());
    clock.now += std::chrono::seconds(60);
    CHECK(ms(r.reserve()) == milliseconds(0));
    CHECK(ms(r.reserve()) == milliseconds(0));
    CHECK(ms(r.reserve()) == milliseconds(0));
    CHECK(ms(r.reserve()) == milliseconds(100));
    CHECK(ms(r.reserve()) == milliseconds(200));
  }

  TEST_CASE("over a long run the limiter grants exactly rate times seconds") {
    ManualClock clock;
    RateLimiter r(200, 1, clock.fn());
    // 1000 callers asking at once are handed slots 5 ms apart: the last waits 4995 ms.
    Clock::duration last{};
    for (int i = 0; i < 1000; ++i) {
      last = r.reserve();
    }
    CHECK(ms(last) == milliseconds(4995));
  }

  TEST_CASE("concurrent reservations each get a distinct slot") {
    ManualClock clock;
    RateLimiter r(1000, 1, clock.fn());
    std::vector<std::vector<Clock::duration>> got(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) {
          got[static_cast<std::size_t>(t)].push_back(r.reserve());
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    std::vector<long long> all;
    for (const auto& g : got) {
      for (auto d : g) {
        all.push_back(ms(d).count());
      }
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
      REQUIRE(all[i] == static_cast<long long>(i));
    }
  }
}

}  // namespace mobisync::remote
