// SPDX-License-Identifier: Apache-2.0
// Unit tests of the retry policy: exponential backoff with full jitter and Retry-After floor.
#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "provider_http/backoff.hpp"

namespace mobisync::provider_http {
namespace {
using std::chrono::milliseconds;
}  // namespace

TEST_SUITE("libs.provider_http") {
  TEST_CASE("the backoff ceiling doubles from the initial delay up to the cap") {
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 1) == milliseconds(200));
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 2) == milliseconds(400));
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 5) == milliseconds(3200));
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 8) == milliseconds(25600));
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 9) == milliseconds(30000));
    CHECK(backoffCeiling(milliseconds(200), milliseconds(30000), 1000000) == milliseconds(30000));
  }

  TEST_CASE("the backoff ceiling copes with odd settings") {
    CHECK(backoffCeiling(milliseconds(0), milliseconds(1000), 5) == milliseconds(0));
    CHECK(backoffCeiling(milliseconds(5000), milliseconds(1000), 1) == milliseconds(1000));
    CHECK(backoffCeiling(milliseconds(-5), milliseconds(1000), 3) == milliseconds(0));
    CHECK(backoffCeiling(milliseconds(100), milliseconds(-1), 3) == milliseconds(0));
  }

  TEST_CASE("jittered delays stay between zero and the ceiling and spread over the range") {
    Backoff b(milliseconds(100), milliseconds(1000), 42);
    for (int retry = 1; retry <= 6; ++retry) {
      const auto ceiling = backoffCeiling(milliseconds(100), milliseconds(1000), retry);
      std::set<long long> seen;
      milliseconds lo = ceiling;
      milliseconds hi(0);
      for (int i = 0; i < 2000; ++i) {
        const auto d = b.next(retry);
        REQUIRE(d >= milliseconds(0));
        REQUIRE(d <= ceiling);
        lo = std::min(lo, d);
        hi = std::max(hi, d);
        seen.insert(d.count());
      }
      CAPTURE(retry);
      // Full jitter: both ends of the range are reached and the values are not few.
      CHECK(lo <= ceiling / 10);
      CHECK(hi >= ceiling * 9 / 10);
      CHECK(seen.size() > 50);
    }
  }

  TEST_CASE("the same seed gives the same delays") {
    Backoff a(milliseconds(100), milliseconds(1000), 7);
    Backoff b(milliseconds(100), milliseconds(1000), 7);
    for (int i = 1; i < 20; ++i) {
      CHECK(a.next(i) == b.next(i));
    }
  }

  TEST_CASE("Retry-After is a floor that is itself capped at the backoff maximum") {
    Backoff b(milliseconds(100), milliseconds(5000), 1);
    for (int i = 0; i < 200; ++i) {
      const auto d = b.next(1, milliseconds(1000));
      REQUIRE(d == milliseconds(1000));  // ceiling 100 ms < Retry-After
    }
    for (int i = 0; i < 200; ++i) {
      const auto d = b.next(7, milliseconds(1000));  // ceiling 5000 ms
      REQUIRE(d >= milliseconds(1000));
      REQUIRE(d <= milliseconds(5000));
    }
    CHECK(b.next(1, milliseconds(86'400'000)) == milliseconds(5000));
    CHECK(b.next(1, milliseconds(0)) <= milliseconds(100));
  }
}

}  // namespace mobisync::provider_http
