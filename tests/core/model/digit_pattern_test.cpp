// SPDX-License-Identifier: Apache-2.0
// DigitPattern: the metadata's regex subset, matched whole and as a prefix, and refused beyond it.
#include <doctest/doctest.h>

#include <stdexcept>

#include "model/digit_pattern.hpp"

using mobisync::model::DigitPattern;

TEST_SUITE("core.model.digit_pattern") {
  TEST_CASE("classes, groups, alternation and counts match as a regex would") {
    const DigitPattern gb_mobile("7(?:[1-3]\\d\\d|4(?:[0-46-9]\\d|5[0-689]))\\d{6}");
    CHECK(gb_mobile.fullMatch("7930123456") == false);  // 79.. is not in this excerpt
    CHECK(gb_mobile.fullMatch("7123123456"));
    CHECK(gb_mobile.fullMatch("7450123456"));
    CHECK_FALSE(gb_mobile.fullMatch("7457123456"));     // 5[0-689]: 7 is out
    CHECK_FALSE(gb_mobile.fullMatch("712312345"));      // one digit short
    CHECK_FALSE(gb_mobile.fullMatch("71231234567"));    // one too many
    const DigitPattern counts("1\\d{2,4}|2(?:3|45)?6|8\\d{3,}");
    CHECK(counts.fullMatch("100"));
    CHECK(counts.fullMatch("19999"));
    CHECK_FALSE(counts.fullMatch("199999"));
    CHECK(counts.fullMatch("26"));
    CHECK(counts.fullMatch("236"));
    CHECK(counts.fullMatch("2456"));
    CHECK_FALSE(counts.fullMatch("2346"));
    CHECK(counts.fullMatch("8000"));
    CHECK(counts.fullMatch("8000000000000000000"));
    CHECK_FALSE(counts.fullMatch("800"));
    CHECK_FALSE(counts.fullMatch(""));
    const DigitPattern capturing("(1(?:2|34))5");
    CHECK(capturing.fullMatch("125"));
    CHECK(capturing.fullMatch("1345"));
  }

  TEST_CASE("the length and first-digit filters refuse only what cannot match") {
    const DigitPattern optional_start("(?:12)?3\\d{0,2}|(?:)|5{2,}");
    for (const char* yes : {"", "3", "34", "345", "123", "12345", "55", "5555555"}) {
      CAPTURE(yes);
      CHECK(optional_start.fullMatch(yes));
    }
    for (const char* no : {"1", "12", "3456", "5", "4", "1234567"}) {
      CAPTURE(no);
      CHECK_FALSE(optional_start.fullMatch(no));
    }
    CHECK(DigitPattern("1?").fullMatch(""));
    CHECK_FALSE(DigitPattern("\\d{2}").fullMatch(""));
    CHECK(DigitPattern("(?:1{0}|2)3").fullMatch("3"));
    CHECK(DigitPattern("(?:12)?3").prefixMatch("3999"));
    CHECK(DigitPattern("(?:12)?3").prefixMatch("123"));
    CHECK_FALSE(DigitPattern("(?:12)?3").prefixMatch("13"));
  }

  TEST_CASE("a prefix match is a regex lookingAt") {
    const DigitPattern leading("7(?:781|839|911[17])");
    CHECK(leading.prefixMatch("7781123456"));
    CHECK(leading.prefixMatch("79111123456"));
    CHECK_FALSE(leading.prefixMatch("79112123456"));
    CHECK_FALSE(leading.prefixMatch("778"));
    CHECK(DigitPattern("1?").prefixMatch("2"));  // the empty prefix
  }

  TEST_CASE("syntax outside the metadata's subset is refused, never guessed") {
    for (const char* p : {"1*", "1+", "[^1]", "1{2,3}?", "\\w", "(?=1)", "1.", "(12", "[12",
                          "1{3,2}", "a", "1)"}) {
      CAPTURE(p);
      CHECK_THROWS_AS(DigitPattern{p}, std::invalid_argument);
    }
  }
}
