// SPDX-License-Identifier: Apache-2.0
// constantTimeEquals() as a function: equal only for the same bytes, whatever the lengths and
// wherever a difference lies. (Timing is not asserted here: see its comment for why it holds.)
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "values/constant_time.hpp"

using mobisync::values::constantTimeEquals;

TEST_SUITE("core.values") {
  TEST_CASE("constant-time comparison is equality") {
    const std::string secret = "s3cr3t-T0ken_0123456789";
    CHECK(constantTimeEquals(secret, secret));
    CHECK(constantTimeEquals(std::string(secret), secret));
    CHECK_FALSE(constantTimeEquals("", secret));
    CHECK_FALSE(constantTimeEquals("", ""));  // an unset secret matches nothing
    CHECK_FALSE(constantTimeEquals("x", ""));
    CHECK_FALSE(constantTimeEquals(secret.substr(0, secret.size() - 1), secret));  // prefix
    CHECK_FALSE(constantTimeEquals(secret + "x", secret));                         // longer
    CHECK_FALSE(constantTimeEquals(secret + secret, secret));  // the secret repeated
    for (std::size_t i = 0; i < secret.size(); ++i) {  // one byte off anywhere
      std::string other = secret;
      other[i] = static_cast<char>(other[i] ^ 0x01);
      CHECK_FALSE(constantTimeEquals(other, secret));
      other[i] = static_cast<char>(other[i] ^ 0x80);
      CHECK_FALSE(constantTimeEquals(other, secret));
    }
  }

  TEST_CASE("constant-time comparison agrees with == on random texts") {
    const auto seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    for (int n = 0; n < 2000; ++n) {
      std::string a(rng() % 6, 'a'), b(rng() % 6, 'a');
      for (auto& ch : a) ch = static_cast<char>('a' + rng() % 2);
      for (auto& ch : b) ch = static_cast<char>('a' + rng() % 2);
      CHECK(constantTimeEquals(a, b) == (!b.empty() && a == b));
    }
  }
}
