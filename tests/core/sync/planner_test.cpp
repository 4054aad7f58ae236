// SPDX-License-Identifier: Apache-2.0
// Planner: the snapshot diff of desired contacts against confirmed state.
#include <doctest/doctest.h>

#include "state/state_store.hpp"
#include "sync/planner.hpp"

using mobisync::state::PairChange;
using mobisync::state::StateStore;
using mobisync::sync::DesiredContact;
using mobisync::sync::DesiredSet;
using mobisync::sync::makePlan;
using mobisync::sync::Plan;
using Strings = std::vector<std::string>;

namespace {

void want(DesiredSet& d, const std::string& msisdn, const std::string& name, const Strings& apps,
          const std::string& ref = "") {
  DesiredContact c{msisdn, name, ref, {}};
  for (const auto& a : apps) c.apps.push_back(d.tokenId(a));
  d.add(std::move(c));
}

void have(StateStore& s, const std::string& job, const std::string& msisdn,
          const std::string& name, const Strings& apps, const std::string& ref = "") {
  std::vector<PairChange> changes;
  for (const auto& a : apps) changes.push_back({PairChange::Kind::Upsert, {msisdn, a, name, ref}});
  s.apply(job, changes);
}

}  // namespace

TEST_SUITE("core.planner") {
  TEST_CASE("new contacts become adds of every application") {
    StateStore s(":memory:");
    DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:42", "appointments"});
    d.finish();
    Plan p = makePlan(d, s, "j");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].add == Strings{"appointments", "contacts:42"});
    CHECK(p.entries[0].remove.empty());
    CHECK(p.summary.add_pairs == 2);
    CHECK(p.summary.remove_pairs == 0);
  }

  TEST_CASE("a contact gone from the source is removed from every application it held") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42", "recurring:7"});
    have(s, "j", "447700900002", "Bob", {"contacts:42"});
    DesiredSet d;
    want(d, "447700900002", "Bob", {"contacts:42"});
    d.finish();
    Plan p = makePlan(d, s, "j");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].msisdn == "447700900001");
    CHECK(p.entries[0].remove == Strings{"contacts:42", "recurring:7"});
    CHECK(p.summary.remove_pairs == 2);
    CHECK(p.summary.unchanged_contacts == 1);
    CHECK(p.summary.state_pairs == 3);
  }

  TEST_CASE("moving a contact to another list is one add and one remove") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42"});
    DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:43"});
    d.finish();
    Plan p = makePlan(d, s, "j");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].add == Strings{"contacts:43"});
    CHECK(p.entries[0].remove == Strings{"contacts:42"});
    CHECK_FALSE(p.entries[0].details_changed);
  }

  TEST_CASE("a renamed contact is an update carrying its kept applications") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42"}, "R1");
    DesiredSet d;
    want(d, "447700900001", "Ann Lee", {"contacts:42"}, "R1");
    d.finish();
    Plan p = makePlan(d, s, "j");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].details_changed);
    CHECK(p.entries[0].old_name == "Ann");
    CHECK(p.entries[0].name == "Ann Lee");
    CHECK(p.entries[0].keep == Strings{"contacts:42"});
    CHECK(p.entries[0].add.empty());
    CHECK(p.summary.update_contacts == 1);
  }

  TEST_CASE("an unchanged source plans nothing") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42"}, "R1");
    DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:42"}, "R1");
    d.finish();
    Plan p = makePlan(d, s, "j");
    CHECK(p.entries.empty());
    CHECK(p.summary.unchanged_contacts == 1);
  }

  TEST_CASE("duplicate rows for one msisdn merge their applications and the first name wins") {
    StateStore s(":memory:");
    DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:42"});
    want(d, "447700900001", "Annie", {"recurring:7", "contacts:42"});
    d.finish();
    CHECK(d.duplicatesMerged() == 1);
    Plan p = makePlan(d, s, "j");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].name == "Ann");
    CHECK(p.entries[0].add == Strings{"contacts:42", "recurring:7"});
  }

  TEST_CASE("a number whose row was rejected keeps its pairs and counts them") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42", "recurring:7"});
    have(s, "j", "447700900002", "Bob", {"contacts:42"});
    DesiredSet d;
    // Ann's only row named a bad token; Bob's other row is valid but names fewer applications.
    d.protect("447700900001");
    d.protect("447700900002");
    want(d, "447700900002", "Bob", {"appointments"});
    want(d, "447700900003", "Cy", {"contacts:42"});
    d.finish();
    Plan p = makePlan(d, s, "j");
    CHECK(p.summary.remove_pairs == 0);
    CHECK(p.summary.protected_pairs == 3);
    CHECK(p.summary.add_pairs == 2);
    for (const auto& e : p.entries) CHECK(e.remove.empty());
  }

  TEST_CASE("a job never removes a pair another job still holds: it only forgets it") {
    StateStore s(":memory:");
    have(s, "mine", "447700900001", "Ann", {"contacts:42"});
    have(s, "theirs", "447700900001", "Ann", {"contacts:42"});
    DesiredSet d;
    d.finish();
    Plan p = makePlan(d, s, "mine");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].remove.empty());
    CHECK(p.entries[0].release == Strings{"contacts:42"});
    CHECK(p.summary.release_pairs == 1);
    CHECK(p.summary.remove_pairs == 0);
  }

  TEST_CASE("state of other jobs is invisible to the diff") {
    StateStore s(":memory:");
    have(s, "theirs", "447700900009", "Zed", {"contacts:1"});
    DesiredSet d;
    want(d, "447700900001", "Ann", {"contacts:42"});
    d.finish();
    Plan p = makePlan(d, s, "mine");
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].msisdn == "447700900001");
    CHECK(p.summary.state_pairs == 0);
  }

  TEST_CASE("interleaved msisdns on both sides merge in order") {
    StateStore s(":memory:");
    for (int i = 0; i < 100; i += 2) {
      have(s, "j", "4477009" + std::to_string(10000 + i), "n", {"contacts:42"});
    }
    DesiredSet d;
    for (int i = 0; i < 100; i += 3) {
      want(d, "4477009" + std::to_string(10000 + i), "n", {"contacts:42"});
    }
    d.finish();
    Plan p = makePlan(d, s, "j");
    // State: even numbers (50). Desired: multiples of 3 (34). Both: multiples of 6 (17).
    CHECK(p.summary.add_pairs == 34 - 17);
    CHECK(p.summary.remove_pairs == 50 - 17);
    CHECK(p.summary.unchanged_contacts == 17);
  }
}
