// SPDX-License-Identifier: Apache-2.0
// The pure diff on plain vectors: no state, no database.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "sync/plan_diff.hpp"

namespace ms = mobisync::sync;
using Strings = std::vector<std::string>;

namespace {

void want(ms::DesiredSet& d, const std::string& msisdn, const std::string& name,
          const Strings& apps) {
  ms::DesiredContact c{msisdn, name, "", {}};
  for (const auto& a : apps) c.apps.push_back(d.tokenId(a));
  d.add(std::move(c));
}

}  // namespace

TEST_SUITE("core.plan_diff") {
  TEST_CASE("the desired set never moves the contacts it holds while a read adds more") {
    // What keeps a read's peak of memory at one copy of the contacts (no RSS in tests): growing
    // relocates nothing, so no moment holds an old and a new array.
    ms::DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:1"});
    const ms::DesiredContact* first = &d.contacts()[0];
    for (int i = 0; i < 100000; ++i) want(d, "447700900002", "", {"contacts:1"});
    CHECK(&d.contacts()[0] == first);
  }

  TEST_CASE("the desired set sorts numbers of any length in byte order, first row winning") {
    // finish() sorts through integer keys (digit strings up to 15 long) or, for anything else,
    // the contacts themselves; both must give the byte order of a stable sort, so the merge join
    // meets the state's order and a number's first row keeps its name.
    for (const bool with_other : {false, true}) {
      CAPTURE(with_other);
      std::mt19937 random(20261205);
      ms::DesiredSet d;
      std::vector<std::pair<std::string, std::string>> rows;  // msisdn, name, in source order
      for (int i = 0; i < 5000; ++i) {
        std::string msisdn(1 + random() % 15, '0');
        for (char& c : msisdn) c = "019"[random() % 3];  // few digits: prefixes and repeats
        if (with_other && i == 2500) msisdn = "01+9";
        const std::string name = random() % 4 == 0 ? "" : "row " + std::to_string(i);
        rows.emplace_back(msisdn, name);
        want(d, msisdn, name, {"contacts:1"});
      }
      d.finish();
      std::stable_sort(rows.begin(), rows.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::pair<std::string, std::string>> expected;
      for (const auto& [msisdn, name] : rows) {
        if (!expected.empty() && expected.back().first == msisdn) {
          if (expected.back().second.empty()) expected.back().second = name;
          continue;
        }
        expected.emplace_back(msisdn, name);
      }
      REQUIRE(d.size() == expected.size());
      CHECK(d.duplicatesMerged() == rows.size() - expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(d.contacts()[i].msisdn == expected[i].first);
        CHECK(d.contacts()[i].name == expected[i].second);
      }
    }
  }

  TEST_CASE("stored pairs the source no longer yields are removed, new ones added") {
    ms::DesiredSet d;
    want(d, "447700900002", "Bob", {"contacts:1", "contacts:2"});
    want(d, "447700900003", "Cy", {"contacts:1"});
    d.finish();
    std::vector<ms::StoredPair> stored{{"447700900001", "contacts:1", "Ann", ""},
                                       {"447700900002", "contacts:1", "Bob", ""},
                                       {"447700900002", "contacts:9", "Bob", ""}};
    const ms::Plan p = ms::diffPlan(d, stored);
    REQUIRE(p.entries.size() == 3);
    CHECK(p.entries[0].msisdn == "447700900001");
    CHECK(p.entries[0].remove == Strings{"contacts:1"});
    CHECK(p.entries[1].add == Strings{"contacts:2"});
    CHECK(p.entries[1].remove == Strings{"contacts:9"});
    CHECK(p.entries[1].keep == Strings{"contacts:1"});
    CHECK(p.entries[2].add == Strings{"contacts:1"});
    CHECK(p.summary.state_pairs == 3);
    CHECK(p.summary.add_pairs == 2);
    CHECK(p.summary.remove_pairs == 2);
    CHECK(p.summary.desired_contacts == 2);
  }

  TEST_CASE("a changed name re-sends the kept pair with the old details remembered") {
    ms::DesiredSet d;
    want(d, "447700900001", "Ann B", {"contacts:1"});
    d.finish();
    const ms::Plan p = ms::diffPlan(d, {{"447700900001", "contacts:1", "Ann", "r1"}});
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].details_changed);
    CHECK(p.entries[0].old_name == "Ann");
    CHECK(p.entries[0].old_reference == "r1");
    CHECK(p.summary.update_contacts == 1);
    CHECK(p.summary.unchanged_contacts == 0);
  }

  TEST_CASE("an incremental diff removes only tombstoned numbers and leaves the rest alone") {
    ms::DesiredSet d;
    want(d, "447700900003", "Cy", {"contacts:1"});
    d.finish();
    const Strings tombstones{"447700900002"};
    const ms::Plan p = ms::diffPlan(d,
                                    {{"447700900001", "contacts:1", "Ann", ""},
                                     {"447700900002", "contacts:1", "Bob", ""}},
                                    ms::ReadScope{true, &tombstones});
    CHECK(p.incremental);
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries[0].msisdn == "447700900002");
    CHECK(p.entries[0].remove == Strings{"contacts:1"});
    CHECK(p.entries[1].msisdn == "447700900003");
    CHECK(p.summary.state_pairs == 2);
  }

  TEST_CASE("a protected number keeps its pairs") {
    ms::DesiredSet d;
    d.protect("447700900001");
    d.finish();
    const ms::Plan p = ms::diffPlan(d, {{"447700900001", "contacts:1", "Ann", ""}});
    CHECK(p.entries.empty());
    CHECK(p.summary.protected_pairs == 1);
    CHECK(p.summary.remove_pairs == 0);
  }

  TEST_CASE("removals another job holds become releases, in candidate order") {
    ms::DesiredSet d;
    d.finish();
    ms::Plan p = ms::diffPlan(d, {{"447700900001", "contacts:1", "", ""},
                                  {"447700900001", "contacts:2", "", ""},
                                  {"447700900002", "contacts:1", "", ""}});
    const auto candidates = ms::removalCandidates(p);
    REQUIRE(candidates.size() == 3);
    CHECK(candidates[1] == std::pair<std::string, std::string>{"447700900001", "contacts:2"});
    ms::releaseHeld(p, {false, true, true});
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries[0].remove == Strings{"contacts:1"});
    CHECK(p.entries[0].release == Strings{"contacts:2"});
    CHECK(p.entries[1].remove.empty());
    CHECK(p.entries[1].release == Strings{"contacts:1"});
    CHECK(p.summary.remove_pairs == 1);
    CHECK(p.summary.release_pairs == 2);
  }
}
