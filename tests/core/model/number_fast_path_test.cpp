// SPDX-License-Identifier: Apache-2.0
// The number fast path against libphonenumber: the normaliser with the fast path first and with
// the library alone must give the same number, line type or reason for every spelling of a
// sample over many regions; the full run (10 million spellings) is bench/numbers/run's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "model/msisdn.hpp"
#include "model/number_fast_path.hpp"
#include "support/number_spellings.hpp"

using mobisync::model::LineType;
using mobisync::model::NumberFastPath;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t kPerRegion = 300;  // the library's regexes are slow under a sanitizer
#else
constexpr std::size_t kPerRegion = 2000;  // 490,000 spellings; bench/numbers/run does 10M
#endif

}  // namespace

TEST_SUITE("core.model.number_fast_path") {
  TEST_CASE("the common spellings of a region's own numbers are answered without the library") {
    const auto gb = NumberFastPath::forRegion("GB");
    REQUIRE(gb != nullptr);
    for (const char* cell : {"07930 123456", "+44 7930 123456", "0044-7930-123456",
                             "(07930) 123 456", "447930123456", "+44 (0)7930 123456",
                             " 07930.123.456 "}) {
      CAPTURE(cell);
      const auto a = gb->tryAccept(cell);
      REQUIRE(a.has_value());
      CHECK(a->msisdn == "447930123456");
      CHECK(a->line_type == LineType::Mobile);
    }
    CHECK(gb->tryAccept("020 7946 0018")->line_type == LineType::FixedLine);
    // The library decides (and words the reason for) everything else.
    for (const char* cell : {"07930 12345", "079301234567", "+33 6 12 34 56 78", "07930 123456 x12",
                             "O7930 123456", "07930\xc2\xa0" "123456", "", "12", "+44+7930123456",
                             "07930/123456"}) {
      CAPTURE(cell);
      CHECK_FALSE(gb->tryAccept(cell).has_value());
    }
    const auto us = NumberFastPath::forRegion("US");
    REQUIRE(us != nullptr);
    CHECK(us->tryAccept("(201) 555-0123")->msisdn == "12015550123");
    CHECK(us->tryAccept("1-201-555-0123")->line_type == LineType::FixedLineOrMobile);
    CHECK(us->tryAccept("011 1 201 555 0123")->msisdn == "12015550123");
  }

  TEST_CASE("regions whose prefixes are patterns are left to the library") {
    // Brazil's national prefix carries a carrier code and a transform rule.
    CHECK(NumberFastPath::forRegion("BR") == nullptr);
    // Jersey shares +44 with Great Britain, whose metadata the library parses +44 with.
    CHECK(NumberFastPath::forRegion("JE") == nullptr);
    CHECK(NumberFastPath::forRegion("XX") == nullptr);
  }

  TEST_CASE("the normaliser gives libphonenumber's answer for every spelling, fast path or not") {
    const char* env = std::getenv("MOBISYNC_TEST_SEED");
    const std::uint64_t seed =
        env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
    MESSAGE("seed " << seed << " (MOBISYNC_TEST_SEED repeats it)");
    const auto& regions = mobisync::test::NumberSpellings::regions();
    REQUIRE(regions.size() >= 200);
    const auto r = mobisync::test::runFastPathDifferential(seed, kPerRegion, regions);
    MESSAGE(r.spellings << " spellings over " << r.regions << " regions (" << r.fast_regions
                        << " with a fast path): " << r.accepted << " accepted by the library, "
                        << r.fast_answered << " answered by the fast path");
    for (const auto& e : r.examples) MESSAGE(e);
    CHECK(r.mismatches == 0);
    // The sample exercises the fast path in most regions and on most accepted spellings.
    CHECK(r.fast_regions > r.regions / 2);
    CHECK(r.fast_answered > r.accepted / 2);
  }
}
