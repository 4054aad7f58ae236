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
    for (const char* cell : {"07930 12345", "079301234567", "+999 12345", "07930 123456 x12",
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

  TEST_CASE("foreign and shared-code numbers are served and pattern prefixes left to the library") {
    const auto gb = NumberFastPath::forRegion("GB");
    REQUIRE(gb != nullptr);
    // Another country, parsed with its own metadata.
    CHECK(gb->tryAccept("+33 6 12 34 56 78")->msisdn == "33612345678");
    CHECK(gb->tryAccept("00 33 6 12 34 56 78")->line_type == LineType::Mobile);
    // Jersey shares +44: the library tries GB first, then each region by its leading digits.
    CHECK(gb->tryAccept("07797 900001")->msisdn == "447797900001");
    const auto je = NumberFastPath::forRegion("JE");
    REQUIRE(je != nullptr);
    CHECK(je->tryAccept("+44 7797 900001")->msisdn == "447797900001");
    const auto ca = NumberFastPath::forRegion("CA");
    REQUIRE(ca != nullptr);
    CHECK(ca->tryAccept("(416) 555-0123").has_value() ==
          mobisync::model::MsisdnNormalizer("CA", mobisync::model::NumberEngine::LibraryOnly)
              .normalize("(416) 555-0123")
              .has_value());
    // Brazil's prefixes are patterns: its numbers go to the library unless written with '+'.
    const auto br = NumberFastPath::forRegion("BR");
    REQUIRE(br != nullptr);
    CHECK_FALSE(br->tryAccept("(11) 96123-4567").has_value());
    CHECK_FALSE(br->tryAccept("+55 11 96123-4567").has_value());  // parsed with BR's metadata
    CHECK(br->tryAccept("+44 7930 123456")->msisdn == "447930123456");
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
    CHECK(r.fast_regions == r.regions);
    CHECK(r.fast_answered > r.accepted / 2);
  }
}
