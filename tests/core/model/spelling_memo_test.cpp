// SPDX-License-Identifier: Apache-2.0
// SpellingMemo: exact-byte lookups, what it refuses to hold, and which entries a run used.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "model/spelling_memo.hpp"

using mobisync::model::SpellingMemo;

TEST_SUITE("core.model") {
  TEST_CASE("the spelling memo answers exactly the bytes it was given") {
    SpellingMemo memo;
    memo.add("07930 123456", 447930123456);
    memo.add("+44 7930-123457", 447930123457);
    memo.seal();
    CHECK(memo.size() == 2);
    CHECK(memo.find("07930 123456") == 447930123456);
    CHECK(memo.find("+44 7930-123457") == 447930123457);
    // Another spelling of the same number is a miss: the memo never reasons about numbers.
    CHECK_FALSE(memo.find("07930123456").has_value());
    CHECK_FALSE(memo.find("07930 123456 ").has_value());
    CHECK_FALSE(memo.find("").has_value());
  }

  TEST_CASE("the spelling memo ignores repeats and over-long cells, and answers nothing unsealed") {
    SpellingMemo memo;
    memo.add("07930 123456", 447930123456);
    CHECK_FALSE(memo.find("07930 123456").has_value());  // not sealed yet
    memo.add("07930 123456", 1);                         // a repeat: the first answer stays
    memo.add(std::string(SpellingMemo::kMaxSpellingBytes + 1, '7'), 2);
    memo.seal();
    CHECK(memo.size() == 1);
    CHECK(memo.find("07930 123456") == 447930123456);
    CHECK_FALSE(memo.find(std::string(SpellingMemo::kMaxSpellingBytes + 1, '7')).has_value());
  }

  TEST_CASE("the spelling memo tells which entries were found, from several threads") {
    const unsigned seed = std::random_device{}();
    MESSAGE("seed " << seed);
    std::mt19937_64 rng(seed);
    SpellingMemo memo;
    std::unordered_map<std::string, std::int64_t> truth;
    while (truth.size() < 50000) {
      const std::int64_t n = 447000000000 + static_cast<std::int64_t>(rng() % 1000000000);
      std::string spelling =
          "0" + std::to_string(n).substr(2, 4) + " " + std::to_string(n).substr(6);
      if (truth.emplace(spelling, n).second) memo.add(spelling, n);
    }
    memo.seal();
    REQUIRE(memo.size() == truth.size());
    std::vector<std::string> looked_up;
    for (const auto& [s, n] : truth) {
      if (n % 3 == 0) looked_up.push_back(s);
    }
    auto lookup = [&](std::size_t from, std::size_t step) {
      for (std::size_t i = from; i < looked_up.size(); i += step) {
        CHECK(memo.find(looked_up[i]) == truth.at(looked_up[i]));
      }
    };
    std::thread a(lookup, 0, 2), b(lookup, 1, 2);
    a.join();
    b.join();
    CHECK(memo.usedCount() == looked_up.size());
    std::size_t seen = 0;
    memo.forEachUsed([&](std::string_view s, std::int64_t n) {
      ++seen;
      CHECK(truth.at(std::string(s)) == n);
      CHECK(n % 3 == 0);
    });
    CHECK(seen == looked_up.size());
  }
}
