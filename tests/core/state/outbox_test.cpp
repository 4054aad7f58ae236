// SPDX-License-Identifier: Apache-2.0
// Outbox on an in-memory SQLite state and on a real PostgreSQL database: keys, claims, retries,
// expiry, stale rows and counts.
#include <doctest/doctest.h>

#include "state/lease_store.hpp"
#include "state/message_log.hpp"
#include "state/outbox.hpp"
#include "support/state_backends.hpp"

using mobisync::state::MessageLog;
using mobisync::state::MessageRecord;
using mobisync::state::Outbox;
using mobisync::state::StateStore;

namespace {

MessageRecord queued(const std::string& key, const std::string& notifier = "sms") {
  MessageRecord m;
  m.dedup_key = key;
  m.job = "people";
  m.notifier = notifier;
  m.recipient = "4479" + key;
  m.text = "hello " + key;
  return m;
}

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("a dedup key is enqueued once and a second enqueue gets no row") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto first = outbox.enqueue({queued("1"), queued("2")}, 1000);
    REQUIRE(first.size() == 2);
    CHECK(first[0] > 0);
    CHECK(first[1] > first[0]);
    auto again = outbox.enqueue({queued("2"), queued("3")}, 2000);
    CHECK(again[0] == 0);
    CHECK(again[1] > first[1]);
    auto rows = MessageLog(store).list("people", 10);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].status == "queued");
    CHECK(rows[0].text == "hello 3");
    CHECK(outbox.counts().at("queued") == 3);
  }

  TEST_CASE("claimDue takes due rows of one notifier once, oldest first, up to the limit") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto ids = outbox.enqueue({queued("1"), queued("2"), queued("3"), queued("4", "other")}, 1000);
    auto taken = outbox.claimDue("sms", "a", 1000, 2);
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].id == ids[0]);
    CHECK(taken[0].status == "sending");
    CHECK(taken[0].attempts == 1);
    CHECK(outbox.claimDue("sms", "b", 1000, 10).size() == 1);  // only the third is left
    CHECK(outbox.claimDue("sms", "b", 1000, 10).empty());
    CHECK(outbox.notifiersWithQueued() == std::vector<std::string>{"other"});
    auto counts = outbox.countsByNotifier();
    CHECK(counts.at({"sms", "sending"}) == 3);
    CHECK(counts.at({"other", "queued"}) == 1);
  }

  TEST_CASE("a retried row waits for its next attempt, each change is in the history") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto id = outbox.enqueue({queued("1")}, 1000)[0];
    outbox.claimDue("sms", "a", 1000, 10);
    outbox.markRetry(id, "provider busy", 5000, 1100);
    CHECK(outbox.nextDue("sms") == 5000);
    CHECK(outbox.claimDue("sms", "a", 4999, 10).empty());
    auto again = outbox.claimDue("sms", "a", 5000, 10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempts == 2);
    outbox.markSubmitted(id, "p-1", 5100);
    CHECK_FALSE(outbox.nextDue("sms").has_value());
    auto history = MessageLog(store).history(id);
    std::vector<std::string> statuses;
    for (const auto& e : history) statuses.push_back(e.status);
    CHECK(statuses ==
          std::vector<std::string>{"queued", "sending", "queued", "sending", "submitted"});
    CHECK(history[2].detail == "provider busy");
    CHECK(history.back().at_ms == 5100);
  }

  TEST_CASE("queued rows past expires_at expire, other final marks stick") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto a = queued("1"), b = queued("2"), c = queued("3");
    a.expires_at_ms = 2000;
    b.expires_at_ms = 9000;
    auto ids = outbox.enqueue({a, b, c}, 1000);
    CHECK(outbox.expireOverdue(5000) == 1);
    MessageLog log(store);
    CHECK(log.find(ids[0])->status == "expired");
    CHECK(log.find(ids[1])->status == "queued");
    CHECK(log.find(ids[2])->status == "queued");  // 0: never expires unsent
    outbox.markSuppressed(ids[1], "recipient opted out", 5000);
    CHECK(log.find(ids[1])->status == "suppressed");
    CHECK(outbox.claimDue("sms", "a", 5000, 10).size() == 1);
  }

  TEST_CASE("rows left sending by another holder go back to queued after the timeout") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto ids = outbox.enqueue({queued("1"), queued("2")}, 1000);
    outbox.claimDue("sms", "gone-host:1:x", 1000, 1);
    outbox.claimDue("sms", "me", 1000, 1);
    CHECK(outbox.requeueStale(50'000, 120'000, "me") == 0);  // not old enough
    CHECK(outbox.requeueStale(200'000, 120'000, "me") == 1);  // never my own
    MessageLog log(store);
    CHECK(log.find(ids[0])->status == "queued");
    CHECK(log.find(ids[1])->status == "sending");
    auto again = outbox.claimDue("sms", "me", 200'000, 10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempts == 2);
  }

  TEST_CASE("a drainer of this host that still runs keeps its rows however long it sends") {
    // Another drainer of this very process (the daemon's service beside a job run): alive, so
    // its rows stay 'sending' past any timeout; taking them would send them twice.
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    auto ids = outbox.enqueue({queued("1")}, 1000);
    const std::string live_here = mobisync::state::processHolderId() + "-batch";
    REQUIRE(mobisync::state::holderIsAliveHere(live_here));
    REQUIRE(outbox.claimDue("sms", live_here, 1000, 1).size() == 1);
    CHECK(outbox.requeueStale(10'000'000, 120'000, "other-drainer") == 0);
    CHECK(MessageLog(store).find(ids[0])->status == "sending");
  }
}
