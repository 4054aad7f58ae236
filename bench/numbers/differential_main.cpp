// SPDX-License-Identifier: Apache-2.0
// The full differential runs against libphonenumber, of the number memo and of the number fast
// path, one shard of the regions:
// usage: mobisync_bench_number_differential SEED PER_REGION SHARD SHARDS
// Prints "spellings regions accepted from_memo mismatches fast_regions fast_accepted
// fast_answered fast_mismatches" and any mismatches; exit 1 on one.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "support/number_spellings.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: " << argv[0] << " SEED PER_REGION SHARD SHARDS\n";
    return 64;
  }
  const std::uint64_t seed = std::strtoull(argv[1], nullptr, 10);
  const std::size_t per_region = std::strtoull(argv[2], nullptr, 10);
  const std::size_t shard = std::strtoull(argv[3], nullptr, 10);
  const std::size_t shards = std::strtoull(argv[4], nullptr, 10);
  const auto& all = mobisync::test::NumberSpellings::regions();
  std::vector<std::string> mine;
  for (std::size_t i = shard; i < all.size(); i += shards) mine.push_back(all[i]);
  // Each shard its own stream of spellings: the seed and the shard together.
  const auto r = mobisync::test::runNumberDifferential(seed * 1000 + shard, per_region, mine);
  // Its own stream again, so the fast path meets other spellings than the memo did.
  const auto f =
      mobisync::test::runFastPathDifferential(seed * 1000 + 500 + shard, per_region, mine);
  std::cout << r.spellings << ' ' << r.regions << ' ' << r.accepted << ' ' << r.from_memo << ' '
            << r.mismatches << ' ' << f.fast_regions << ' ' << f.accepted << ' '
            << f.fast_answered << ' ' << f.mismatches << '\n';
  for (const auto& e : r.examples) std::cerr << "memo mismatch: " << e << '\n';
  for (const auto& e : f.examples) std::cerr << "fast path mismatch: " << e << '\n';
  return r.mismatches == 0 && f.mismatches == 0 ? 0 : 1;
}
