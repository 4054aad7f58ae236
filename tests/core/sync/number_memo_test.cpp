// SPDX-License-Identifier: Apache-2.0
// The number memo's rules: what a normaliser answer teaches it and what it may answer alone.
#include <doctest/doctest.h>

#include <string>

#include "model/msisdn.hpp"
#include "sync/number_memo.hpp"

namespace ms = mobisync::sync;
using ms::MemoLesson;

namespace {

ms::NumberMemo memoOf(std::vector<std::int64_t> canonical,
                      const std::vector<std::pair<std::string, std::int64_t>>& spellings) {
  ms::NumberMemo memo;
  memo.canonical = std::move(canonical);
  for (const auto& [s, n] : spellings) memo.spellings.add(s, n);
  memo.spellings.seal();
  return memo;
}

}  // namespace

TEST_SUITE("core.read_stage") {
  TEST_CASE("a cell is answered from the memo only as exactly the bytes it holds") {
    const auto memo = memoOf({447930123456}, {{"07930 123457", 447930123457}});
    CHECK(ms::memoAnswer(memo, "447930123456") == "447930123456");
    CHECK(ms::memoAnswer(memo, "07930 123457") == "447930123457");
    CHECK_FALSE(ms::memoAnswer(memo, "07930123457").has_value());
    CHECK_FALSE(ms::memoAnswer(memo, "+447930123456").has_value());
    // The digits of a canonical number behind a leading zero are another spelling: GB reads
    // "0447930123456" as a national number and refuses it.
    CHECK_FALSE(ms::memoAnswer(memo, "0447930123456").has_value());
    CHECK_FALSE(ms::memoAnswer(memo, "00447930123456").has_value());
    CHECK_FALSE(mobisync::model::MsisdnNormalizer("GB").normalize("0447930123456"));
  }

  TEST_CASE("what an accepted number teaches the memo") {
    CHECK(ms::lessonOf("447930123456", "447930123456") == MemoLesson::Canonical);
    CHECK(ms::lessonOf("07930 123456", "447930123456") == MemoLesson::Spelling);
    CHECK(ms::lessonOf("07930123456", "447930123456") == MemoLesson::Spelling);
    CHECK(ms::lessonOf("07930\u00a0123456", "447930123456") == MemoLesson::Spelling);
    // Answers the memo cannot give back as the same string: too short, or a leading zero.
    CHECK(ms::lessonOf("+683 4002", "6834002") == MemoLesson::None);
    CHECK(ms::lessonOf("x", "0447930123456") == MemoLesson::None);
    // Spellings a database might not keep byte for byte, or too long to be worth keeping.
    CHECK(ms::lessonOf(std::string("07930") + '\0' + "123456", "447930123456") == MemoLesson::None);
    CHECK(ms::lessonOf("07930\x01 123456", "447930123456") == MemoLesson::None);
    CHECK(ms::lessonOf("\t07930 123456", "447930123456") == MemoLesson::None);
    CHECK(ms::lessonOf("07930 123456\xff", "447930123456") == MemoLesson::None);
    CHECK(ms::lessonOf("07930 123456" + std::string(60, ' '), "447930123456") ==
          MemoLesson::None);
  }
}
