// SPDX-License-Identifier: Apache-2.0
// The concat_references table: a random start per (recipient, UTC day), counting up, and never
// one value twice for a recipient in a day however many connections take from it at once.
#include <doctest/doctest.h>

#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notify/concat_reference_source.hpp"
#include "state/concat_references.hpp"
#include "state/state_store.hpp"
#include "state_store_fixture.hpp"
#include "support/state_backends.hpp"

namespace {

using mobisync::notify::StateConcatReferenceSource;
using mobisync::state::ConcatReferenceTable;
using mobisync::state::StateLocation;
using mobisync::state::StateStore;
using mobisync::state::utcDay;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNoon = 20'000 * kDay + kDay / 2;  // 2024-10-04 12:00 UTC

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("a concatenation reference starts at the random start per recipient and day, then counts up") {
    StateStore store(mobisync::test::eachStateBackend());
    ConcatReferenceTable table(store);
    CHECK(table.take("447930000001", kNoon, 250) == 250);
    CHECK(table.take("447930000001", kNoon + 1000, 7) == 251);  // the start is used once
    CHECK(table.take("447930000002", kNoon, 9) == 9);
    CHECK(table.take("447930000001", kNoon + kDay, 40) == 40);  // a new UTC day
    CHECK(table.take("447930000001", kNoon + kDay, 41) == 41);
    CHECK(utcDay(kNoon) == 20'000);
    CHECK(utcDay(-1) == -1);
  }

  TEST_CASE("two connections taking at once never hand one recipient the same value in a day") {
    state_store_fixture::ScratchDir dir;
    StateLocation where;
    SUBCASE("sqlite") { where.path = dir.file("state.db"); }
    SUBCASE("postgresql") { where = mobisync::test::freshPostgresState(); }
    const auto seed = std::random_device{}();
    std::cout << "concat references property seed " << seed << "\n";
    { StateStore create(where); }  // migrated once, before the two race
    const std::vector<std::string> recipients = {"447930000001", "447930000002", "61400000003"};
    constexpr int kPerProcess = 120;
    std::vector<std::vector<std::pair<std::string, std::uint32_t>>> taken(2);
    std::vector<std::thread> processes;
    for (int p = 0; p < 2; ++p) {
      processes.emplace_back([&, p] {
        StateStore store(where);  // its own connection, as another process has
        StateConcatReferenceSource source(store, [] { return kNoon; });
        std::mt19937 random(seed + static_cast<unsigned>(p));
        for (int i = 0; i < kPerProcess; ++i) {
          const std::string& to = recipients[random() % recipients.size()];
          taken[p].emplace_back(to, source.next(to, 256));
        }
      });
    }
    for (auto& t : processes) t.join();
    std::map<std::string, std::multiset<std::uint32_t>> per_recipient;
    for (const auto& process : taken) {
      for (const auto& [to, reference] : process) per_recipient[to].insert(reference);
    }
    std::size_t total = 0;
    for (const auto& [to, references] : per_recipient) {
      INFO("seed " << seed << ", recipient " << to);
      total += references.size();
      REQUIRE(references.size() <= 256);
      CHECK(std::set<std::uint32_t>(references.begin(), references.end()).size() == references.size());
    }
    CHECK(total == 2 * kPerProcess);
  }
}
