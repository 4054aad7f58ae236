// SPDX-License-Identifier: Apache-2.0
// The apply stage: calls from a plan, bookkeeping from fake answers, releases recorded in a real
// SQLite state.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "state/state_store.hpp"
#include "support/temp_dir.hpp"
#include "sync/apply_stage.hpp"

namespace ms = mobisync::sync;
using mobisync::Status;
using mobisync::remote::CallResult;
using mobisync::remote::Completed;
using mobisync::remote::ProviderCall;
using mobisync::state::PairChange;
using Strings = std::vector<std::string>;

namespace {

ms::PlanEntry entry(const std::string& msisdn, Strings add, Strings remove, Strings keep = {}) {
  ms::PlanEntry e;
  e.msisdn = msisdn;
  e.name = "N" + msisdn;
  e.add = std::move(add);
  e.remove = std::move(remove);
  e.keep = std::move(keep);
  return e;
}

CallResult confirmed(const Strings& apps, int attempts = 1) {
  CallResult r;
  r.attempts = attempts;
  for (const auto& a : apps) r.tokens.push_back({a, true, ""});
  return r;
}

/// Applies a plan whose one entry releases `application` of number 1: no call is made.
ms::AppliedPlan releaseOnly(mobisync::state::StateStore& store, const std::string& application) {
  ms::RunRecorder recorder(store, "j", "sync", true);
  ms::RejectWriter rejects("");
  ms::Plan plan;
  ms::PlanEntry e = entry("1", {}, {});
  e.release = {application};
  plan.entries = {e};
  return ms::applyStage(plan, mobisync::config::ProviderSettings{}, recorder, rejects, {},
                        nullptr);
}

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("core.apply_stage") {
  TEST_CASE("a plan becomes a create, a remove and releases, each call knowing its entry") {
    ms::Plan plan;
    ms::PlanEntry changed = entry("1", {"contacts:2"}, {"contacts:3"}, {"contacts:1"});
    changed.details_changed = true;
    changed.release = {"contacts:4"};
    plan.entries = {changed, entry("2", {}, {"contacts:1"})};
    const ms::PlannedCalls planned = ms::plannedCalls(plan);
    REQUIRE(planned.calls.size() == 3);
    CHECK(planned.calls[0].kind == ProviderCall::Kind::Create);
    // Details changed: the kept application is sent again with the new name.
    CHECK(planned.calls[0].applications == Strings{"contacts:2", "contacts:1"});
    CHECK(planned.calls[0].name == "N1");
    CHECK(planned.calls[1].kind == ProviderCall::Kind::Remove);
    CHECK(planned.calls[1].applications == Strings{"contacts:3"});
    CHECK(planned.entry_of == std::vector<std::size_t>{0, 0, 1});
    REQUIRE(planned.releases.size() == 1);
    CHECK(planned.releases[0].kind == PairChange::Kind::Erase);
    CHECK(planned.releases[0].row.application == "contacts:4");
  }

  TEST_CASE("answers become confirmed changes, counts and flags, refusals go to the rejects") {
    mobisync::test::TempDir dir;
    ms::RejectWriter rejects(dir.file("rejects.csv"));
    REQUIRE(rejects.open());
    ms::Plan plan;
    plan.entries = {entry("1", {"contacts:2"}, {}, {"contacts:1"}),  // add, kept re-sent
                    entry("2", {}, {"contacts:1"}),                  // remove
                    entry("3", {"contacts:1", "contacts:2"}, {}),    // one token refused
                    entry("4", {"contacts:1"}, {}),                  // call refused
                    entry("5", {"contacts:1"}, {})};                 // never sent
    plan.entries[0].details_changed = true;
    const ms::PlannedCalls planned = ms::plannedCalls(plan);
    REQUIRE(planned.calls.size() == 5);
    ms::ApplyBookkeeping books(plan, planned, rejects);

    CallResult partly = confirmed({"contacts:1"});
    partly.tokens.push_back({"contacts:2", false, "invalid list"});
    const auto first = books.take({{0, confirmed({"contacts:2", "contacts:1"}, 3)},
                                   {1, confirmed({"contacts:1"})},
                                   {2, partly}});
    REQUIRE(first.size() == 4);
    CHECK(first[0].kind == PairChange::Kind::Upsert);
    CHECK(first[0].row.name == "N1");
    CHECK(first[2].kind == PairChange::Kind::Erase);
    CHECK(first[2].row.msisdn == "2");

    CallResult refused;
    refused.status = Status::rejected("400 bad number");
    refused.attempts = 1;
    CallResult not_sent;
    not_sent.status = Status::unavailable("stopped");
    CHECK(books.take({{3, refused}, {4, not_sent}}).empty());

    const ms::ApplyTally& t = books.tally();
    CHECK(t.added == 2);    // contacts:2 of entry 1 and contacts:1 of entry 3
    CHECK(t.updated == 1);  // entry 1's kept contacts:1, re-sent for its new name
    CHECK(t.removed == 1);
    CHECK(t.failed == 3);   // entry 3's refused token, entry 4's call, entry 5's call
    CHECK(t.refused == 2);
    CHECK(t.not_sent == 1);
    CHECK(t.confirmed_calls == 3);
    CHECK(t.retries == 2);
    const auto& flags = books.confirmed();
    CHECK(flags[0] == ms::kAddConfirmed);
    CHECK(flags[1] == ms::kRemoveConfirmed);
    CHECK(flags[2] == (ms::kAddConfirmed | ms::kCallFailed));
    CHECK(flags[3] == ms::kCallFailed);
    CHECK(flags[4] == ms::kCallFailed);
    CHECK(rejects.refusals() == 2);
    CHECK(rejects.count() == 0);  // refusals are not rejected rows
    REQUIRE(rejects.commit());
    const std::string file = readAll(dir.file("rejects.csv"));
    CHECK(file.find("provider,create contacts:2: invalid list,3") != std::string::npos);
    CHECK(file.find("provider,create contacts:1: 400 bad number,4") != std::string::npos);
  }

  TEST_CASE("an entry is settled once, by the batch that answers its last call") {
    ms::RejectWriter rejects("");
    ms::Plan plan;
    plan.entries = {entry("1", {"contacts:2"}, {"contacts:3"}),  // a create and a remove
                    entry("2", {"contacts:1"}, {})};
    const ms::PlannedCalls planned = ms::plannedCalls(plan);
    REQUIRE(planned.calls.size() == 3);
    ms::ApplyBookkeeping books(plan, planned, rejects);
    books.take({{0, confirmed({"contacts:2"})}});
    CHECK(books.takeSettled().empty());  // entry 1 still waits for its remove
    books.take({{2, confirmed({"contacts:1"})}, {1, confirmed({"contacts:3"})}});
    CHECK(books.takeSettled() == std::vector<std::size_t>{1, 0});
    CHECK(books.confirmed()[0] == (ms::kAddConfirmed | ms::kRemoveConfirmed));
    CHECK(books.takeSettled().empty());
  }

  TEST_CASE("releases are recorded without a call and counted as removed") {
    mobisync::test::TempDir dir;
    mobisync::state::StateStore store(dir.file("state.db"));
    store.apply("j", {{PairChange::Kind::Upsert, {"1", "contacts:1", "Ann", ""}},
                      {PairChange::Kind::Upsert, {"1", "contacts:2", "Ann", ""}}});
    const ms::AppliedPlan applied = releaseOnly(store, "contacts:2");
    CHECK(applied.status);
    CHECK(applied.calls == 0);
    CHECK(applied.tally.removed == 1);
    REQUIRE(store.pairs("j").size() == 1);
    CHECK(store.pairs("j")[0].application == "contacts:1");
  }

  TEST_CASE("a change that cannot be recorded fails the stage with what was counted so far") {
    mobisync::test::TempDir dir;
    mobisync::state::StateStore store(dir.file("state.db"));
    store.fenceJob("j", 7);  // a lease token the state does not hold: every write is refused
    const ms::AppliedPlan applied = releaseOnly(store, "contacts:2");
    CHECK_FALSE(applied.status);
    CHECK(applied.status.message().find("cannot record confirmed changes: ") == 0);
    CHECK(applied.tally.removed == 0);
  }
}
