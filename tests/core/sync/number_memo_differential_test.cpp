// SPDX-License-Identifier: Apache-2.0
// The number memo against libphonenumber: a sample of generated spellings over many regions read
// twice, as a first run and a later run read them; every answer of the memo must be the
// library's. The full run (10 million spellings) is bench/numbers/run's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "support/number_spellings.hpp"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kUnderSanitizer = true;  // a few hundred thousand regex runs take minutes there
#else
constexpr bool kUnderSanitizer = false;
#endif

/// 60 regions spread over libphonenumber's list, the ones our users have first.
std::vector<std::string> sampleRegions() {
  std::vector<std::string> out = {"GB", "US", "DE", "FR", "IN", "BR", "AU", "IT", "ES", "NL"};
  const auto& all = mobisync::test::NumberSpellings::regions();
  const std::size_t step = std::max<std::size_t>(1, all.size() / 50);
  for (std::size_t i = 0; out.size() < 60 && i < all.size(); i += step) {
    if (std::find(out.begin(), out.end(), all[i]) == out.end()) out.push_back(all[i]);
  }
  return out;
}

}  // namespace

TEST_SUITE("core.read_stage") {
  TEST_CASE("the number memo gives libphonenumber's answer for every spelling it holds" *
            doctest::skip(kUnderSanitizer)) {
    const char* env = std::getenv("MOBISYNC_TEST_SEED");
    const std::uint64_t seed =
        env != nullptr ? std::strtoull(env, nullptr, 10) : std::random_device{}();
    MESSAGE("seed " << seed << " (MOBISYNC_TEST_SEED repeats it)");
    const auto regions = sampleRegions();
    REQUIRE(regions.size() >= 50);
    const auto r = mobisync::test::runNumberDifferential(seed, 5000, regions);
    MESSAGE(r.spellings << " spellings over " << r.regions << " regions: " << r.accepted
                        << " accepted, " << r.from_memo << " answered by the memo");
    for (const auto& e : r.examples) MESSAGE(e);
    CHECK(r.spellings == 5000 * regions.size());
    CHECK(r.mismatches == 0);
    // The sample must exercise both sides: most accepted spellings come back from the memo,
    // and a good share of spellings are refused (too short, too long, letters, extensions).
    CHECK(r.from_memo > r.spellings / 4);
    CHECK(r.accepted < r.spellings * 9 / 10);
  }
}
