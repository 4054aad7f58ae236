// SPDX-License-Identifier: Apache-2.0
// Planner: incremental reads touch only the numbers they yielded or tombstoned.
#include <doctest/doctest.h>

#include "state/cursor_store.hpp"
#include "state/state_store.hpp"
#include "sync/planner.hpp"

using mobisync::state::CursorStore;
using mobisync::state::PairChange;
using mobisync::state::StateStore;
using mobisync::sync::DesiredContact;
using mobisync::sync::DesiredSet;
using mobisync::sync::makePlan;
using mobisync::sync::Plan;
using mobisync::sync::ReadScope;
using Strings = std::vector<std::string>;

namespace {

void want(DesiredSet& d, const std::string& msisdn, const std::string& name, const Strings& apps) {
  DesiredContact c{msisdn, name, "", {}};
  for (const auto& a : apps) c.apps.push_back(d.tokenId(a));
  d.add(std::move(c));
}

void have(StateStore& s, const std::string& job, const std::string& msisdn,
          const std::string& name, const Strings& apps) {
  std::vector<PairChange> changes;
  for (const auto& a : apps) changes.push_back({PairChange::Kind::Upsert, {msisdn, a, name, ""}});
  s.apply(job, changes);
}

}  // namespace

TEST_SUITE("core.planner") {
  TEST_CASE("an incremental read leaves numbers it did not yield alone") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42"});
    have(s, "j", "447700900002", "Bob", {"contacts:42", "recurring:7"});
    have(s, "j", "447700900003", "Cy", {"contacts:42"});
    DesiredSet d;
    want(d, "447700900002", "Bob", {"contacts:42"});
    want(d, "447700900004", "Dee", {"contacts:42"});
    d.finish();
    const Strings tombstones;
    Plan p = makePlan(d, s, "j", ReadScope{true, &tombstones});
    CHECK(p.incremental);
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries[0].msisdn == "447700900002");
    CHECK(p.entries[0].remove == Strings{"recurring:7"});
    CHECK(p.entries[1].msisdn == "447700900004");
    CHECK(p.entries[1].add == Strings{"contacts:42"});
    CHECK(p.summary.remove_pairs == 1);
    CHECK(p.summary.state_pairs == 4);  // max_delete still counts against the whole state
  }

  TEST_CASE("a tombstone removes every pair of its number unless the number is also yielded") {
    StateStore s(":memory:");
    have(s, "j", "447700900001", "Ann", {"contacts:42", "recurring:7"});
    have(s, "j", "447700900002", "Bob", {"contacts:42"});
    have(s, "other", "447700900001", "Ann", {"recurring:7"});
    DesiredSet d;
    want(d, "447700900002", "Bob", {"contacts:42"});
    d.finish();
    const Strings tombstones{"447700900001", "447700900002", "447700900009"};
    Plan p = makePlan(d, s, "j", ReadScope{true, &tombstones});
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].msisdn == "447700900001");
    CHECK(p.entries[0].remove == Strings{"contacts:42"});
    CHECK(p.entries[0].release == Strings{"recurring:7"});  // the other job still holds it
    CHECK(p.summary.unchanged_contacts == 1);
  }
}

TEST_SUITE("core.state") {
  TEST_CASE("cursors are kept per job and source and forgotten per job") {
    StateStore s(":memory:");
    CursorStore c(s);
    CHECK_FALSE(c.load("j", "crm"));
    c.save("j", "crm", "41", "integer", 1000);
    c.save("j", "crm", "42", "integer", 2000);
    c.save("k", "crm", "2026-01-01T00:00:00.000000Z", "timestamp", 3000);
    auto got = c.load("j", "crm");
    REQUIRE(got);
    CHECK(got->value == "42");
    CHECK(got->type == "integer");
    CHECK(got->updated_at_ms == 2000);
    CHECK(c.clear("j") == 1);
    CHECK_FALSE(c.load("j", "crm"));
    CHECK(c.load("k", "crm"));
  }
}
