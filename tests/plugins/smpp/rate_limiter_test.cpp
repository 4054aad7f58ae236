// SPDX-License-Identifier: Apache-2.0
// The ESME's rate limiter on a simulated clock: every sliding second on the SMSC's side holds at
// most `rate` arrivals whatever the jitter between send and answer, the rate stays within 1% of
// `rate`, and throttling backs off once per episode and recovers additively.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "rate_limiter.hpp"

using namespace mobisync::plugins::smpp;
using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

namespace {

struct Flight {
  RateLimiter::Sequence sequence;
  Clock::time_point answer;
};

// One bind with `window` submits unanswered at most, sending as fast as the limiter allows for
// `length` of simulated time in 100 µs steps. Each submit's answer comes `rtt()` after it left;
// the SMSC counts it on arrival, anywhere between the two (`where` in [0, 1] picks the point).
// Returns the arrival times, sorted.
template <class Rtt>
std::vector<Clock::time_point> simulate(RateLimiter& limiter, int window, Clock::duration length,
                                        std::mt19937& random, Rtt rtt) {
  std::uniform_real_distribution<double> where(0.0, 1.0);
  const auto t0 = Clock::time_point{} + 100s;
  std::vector<Flight> in_flight;
  RateLimiter::Sequence sequence = 0;
  std::vector<Clock::time_point> arrivals;
  for (auto t = t0; t < t0 + length; t += 100us) {
    for (auto it = in_flight.begin(); it != in_flight.end();) {
      if (it->answer > t) {
        ++it;
        continue;
      }
      limiter.accepted(it->sequence, t);
      it = in_flight.erase(it);
    }
    while (static_cast<int>(in_flight.size()) < window && limiter.nextAllowed() <= t) {
      const Clock::duration d = rtt();
      limiter.record(++sequence, t);
      in_flight.push_back({sequence, t + d});
      arrivals.push_back(t + std::chrono::duration_cast<Clock::duration>(d * where(random)));
    }
  }
  std::sort(arrivals.begin(), arrivals.end());
  return arrivals;
}

// The most arrivals in any (t - 1 s, t]: the SMSC's sliding second.
std::size_t mostInASecond(const std::vector<Clock::time_point>& arrivals) {
  std::size_t most = 0;
  for (std::size_t last = 0, first = 0; last < arrivals.size(); ++last) {
    while (arrivals[first] <= arrivals[last] - 1s) ++first;
    most = std::max(most, last - first + 1);
  }
  return most;
}

}  // namespace

TEST_SUITE("plugin.smpp.rate_limiter") {

TEST_CASE("no sliding second on arrival holds more than rate, whatever the jitter") {
  const auto seed = std::random_device{}();
  std::cout << "rate limiter jitter seed " << seed << "\n";
  std::mt19937 random(seed);
  // Mostly loopback answers (0.1 to 2 ms); one in 20 from a stalled SMSC or ESME (up to 300 ms).
  std::uniform_int_distribution<int> fast_us(100, 2000), slow_us(2000, 300000), pick(0, 19);
  auto rtt = [&] {
    return std::chrono::microseconds(pick(random) == 0 ? slow_us(random) : fast_us(random));
  };
  for (int window : {1, 10, 40}) {
    CAPTURE(window);
    RateLimiter limiter(20);
    const auto arrivals = simulate(limiter, window, 30s, random, rtt);
    CHECK(mostInASecond(arrivals) <= 20);
  }
}

TEST_CASE("on loopback the rate is within 1% of the ceiling") {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> loopback_us(100, 1000);
  auto rtt = [&] { return std::chrono::microseconds(loopback_us(random)); };
  RateLimiter limiter(20);
  const auto arrivals = simulate(limiter, 10, 60s, random, rtt);
  CHECK(mostInASecond(arrivals) <= 20);
  CHECK(arrivals.size() >= 1188);  // 1,200 - 1%
  CHECK(arrivals.size() <= 1200);
}

TEST_CASE("an unanswered submit holds its slot") {
  RateLimiter limiter(2);
  const auto t0 = Clock::time_point{} + 100s;
  limiter.record(1, t0);
  limiter.record(2, t0);
  CHECK(limiter.nextAllowed() == Clock::time_point::max());
  limiter.answered(1, t0 + 300ms);
  CHECK(limiter.nextAllowed() == t0 + 1300ms + RateLimiter::kMargin);
}

TEST_CASE("throttling backs off once per episode and recovers additively") {
  RateLimiter limiter(20);
  const auto t0 = Clock::time_point{} + 100s;
  RateLimiter::Sequence sequence = 0;
  for (int i = 0; i < 10; ++i) limiter.record(++sequence, t0);
  // The whole window comes back throttled: one back-off, one halving.
  CHECK(limiter.throttled(1, t0 + 1ms));
  for (RateLimiter::Sequence s = 2; s <= 10; ++s) CHECK_FALSE(limiter.throttled(s, t0 + 1ms));
  CHECK(limiter.currentRate() == 10);
  // A submit sent after the back-off that is throttled again is a new episode.
  limiter.record(++sequence, t0 + 2s);
  CHECK(limiter.throttled(sequence, t0 + 2s));
  CHECK(limiter.currentRate() == 5);
  // Acceptances raise it by a tenth of the ceiling per second, back to the ceiling and no further.
  int seconds = 0;
  for (auto t = t0 + 3s; limiter.currentRate() < 20; t += 1s, ++seconds) {
    limiter.record(++sequence, t);
    limiter.accepted(sequence, t);
  }
  CHECK(seconds == 8);  // 5 -> 20 by 2 a second, capped
  limiter.record(++sequence, t0 + 20s);
  limiter.accepted(sequence, t0 + 20s);
  CHECK(limiter.currentRate() == 20);
}

}  // TEST_SUITE
