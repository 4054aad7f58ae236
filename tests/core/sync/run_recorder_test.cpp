// SPDX-License-Identifier: Apache-2.0
// RunRecorder: the run's writes to a real SQLite state, and the summary line.
#include <doctest/doctest.h>

#include <string>

#include "model/msisdn.hpp"
#include "state/cursor_store.hpp"
#include "state/run_counts.hpp"
#include "state/state_store.hpp"
#include "state/message_log.hpp"
#include "support/state_backends.hpp"
#include "support/temp_dir.hpp"
#include "sync/run_recorder.hpp"

namespace ms = mobisync::sync;
using mobisync::state::StateStore;

namespace {

ms::JobReport report() {
  ms::JobReport r;
  r.job = "staff";
  r.source = "hr";
  r.fetched = 10;
  r.rejected = 1;
  r.added = 2;
  r.removed = 3;
  r.updated = 4;
  r.failed = 5;
  r.held = 6;
  r.calls = 7;
  return r;
}

}  // namespace

TEST_SUITE("core.run_recorder") {
  TEST_CASE("a run's row holds the report's counts, outcome and reason") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    ms::RunRecorder recorder(store, "staff", "sync", true);
    REQUIRE(recorder.begin(1000));
    CHECK(recorder.runId() != 0);
    CHECK(store.runs("staff", 1).at(0).outcome == "running");
    ms::JobReport r = report();
    r.outcome = ms::JobOutcome::Partial;
    r.status = mobisync::Status::unavailable("no answer");
    recorder.finish(r, 2000);
    const auto runs = store.runs("staff", 0);
    REQUIRE(runs.size() == 1);
    const auto& run = runs[0];
    CHECK(run.outcome == "partial");
    CHECK(run.mode == "sync");
    CHECK(run.ended_at_ms == 2000);
    CHECK(run.message == "no answer");
    for (const auto& field : mobisync::state::kRunCountFields) {
      CAPTURE(field.name);
      CHECK(run.*field.member == r.*field.member);
    }
  }

  TEST_CASE("a blocked run records what blocked it") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    ms::RunRecorder recorder(store, "staff", "dry-run", true);
    REQUIRE(recorder.begin(1000));
    ms::JobReport r = report();
    r.outcome = ms::JobOutcome::Blocked;
    r.blocked_reason = "4 removals exceed max_delete";
    recorder.finish(r, 2000);
    CHECK(store.runs("staff", 1).at(0).message == "4 removals exceed max_delete");
    CHECK(store.runs("staff", 1).at(0).mode == "dry-run");
  }

  TEST_CASE("a plan writes nothing: no run, no memo, no cursor") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    ms::RunRecorder recorder(store, "staff", "sync", false);
    REQUIRE(recorder.begin(1000));
    recorder.recordNumberMemo("GB", {447700900001});
    REQUIRE(recorder.saveCursor("hr", {"5", "integer"}, 1000));
    recorder.finish(report(), 2000);
    CHECK(recorder.runId() == 0);
    CHECK(store.runs("staff", 0).empty());
    CHECK(store.canonicalNumbers("GB", mobisync::model::MsisdnNormalizer::engineTag()).empty());
    CHECK_FALSE(mobisync::state::CursorStore(store).load("staff", "hr").has_value());
  }

  TEST_CASE("the memo, the cursor and confirmed changes reach the state") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    ms::RunRecorder recorder(store, "staff", "sync", true);
    recorder.recordNumberMemo("GB", {447700900001, 447700900002});
    CHECK(store.canonicalNumbers("GB", mobisync::model::MsisdnNormalizer::engineTag()).size() ==
          2);
    REQUIRE(recorder.saveCursor("hr", {"42", "integer"}, 1000));
    CHECK(mobisync::state::CursorStore(store).load("staff", "hr")->value == "42");
    recorder.recordChanges(
        {{mobisync::state::PairChange::Kind::Upsert, {"447700900001", "contacts:1", "A", ""}}});
    CHECK(store.countPairs("staff") == 1);
  }

  TEST_CASE("a state that refuses the writes comes back as a Status, or a throw from changes") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    store.fenceJob("staff", 9);  // no lease holds this token
    ms::RunRecorder recorder(store, "staff", "sync", true);
    CHECK_FALSE(recorder.begin(1000));
    CHECK_FALSE(recorder.saveCursor("hr", {"42", "integer"}, 1000));
    CHECK_THROWS(recorder.recordChanges(
        {{mobisync::state::PairChange::Kind::Erase, {"447700900001", "contacts:1", "", ""}}}));
  }

  TEST_CASE("confirmed changes and the messages they cause are written together or not at all") {
    StateStore store(mobisync::test::eachStateBackend());
    ms::RunRecorder recorder(store, "staff", "sync", true);
    mobisync::notify::QueuedMessage welcome;
    welcome.dedup_key = "staff/welcome/added/447700900001";
    welcome.notifier = "sms";
    welcome.recipient = "447700900001";
    welcome.text = "Welcome A";
    welcome.job = "staff";
    welcome.rule = "welcome";
    welcome.event = "contact.added";
    const mobisync::state::PairChange add{mobisync::state::PairChange::Kind::Upsert,
                                          {"447700900001", "contacts:1", "A", ""}};
    recorder.recordChanges({add}, {welcome});
    CHECK(store.countPairs("staff") == 1);
    REQUIRE(mobisync::state::MessageLog(store).list("", 10).size() == 1);
    CHECK(mobisync::state::MessageLog(store).list("", 10).front().status == "queued");

    // The second write fails (its history table is gone): the first is undone with it.
    using Poco::Data::Keywords::now;
    store.session() << "DROP TABLE message_events", now;
    const mobisync::state::PairChange add2{mobisync::state::PairChange::Kind::Upsert,
                                           {"447700900002", "contacts:1", "B", ""}};
    welcome.dedup_key = "staff/welcome/added/447700900002";
    welcome.recipient = "447700900002";
    CHECK_THROWS(recorder.recordChanges({add2}, {welcome}));
    CHECK(store.countPairs("staff") == 1);
    // Nothing is left open: the next write begins its own transaction and commits.
    recorder.recordChanges({add2});
    CHECK(store.countPairs("staff") == 2);
  }

  TEST_CASE("the summary line lists every count and the reason of a run that did not succeed") {
    ms::JobReport r = report();
    r.seconds = 1.5;
    CHECK(ms::summaryLine(r) ==
          "job=staff source=hr outcome=succeeded fetched=10 rejected=1 added=2 removed=3 "
          "updated=4 failed=5 held=6 calls=7 retries=0 ms=1500");
    r.outcome = ms::JobOutcome::Failed;
    r.status = mobisync::Status::io("disk full");
    CHECK(ms::summaryLine(r).find("ms=1500 reason=\"disk full\"") != std::string::npos);
    CHECK(mobisync::state::countNamed(r, "held") == 6);
    CHECK_FALSE(mobisync::state::countNamed(r, "calls").has_value());
  }
}
