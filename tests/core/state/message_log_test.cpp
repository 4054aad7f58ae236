// SPDX-License-Identifier: Apache-2.0
// MessageLog (receipts, expiry, history) and HlrCache on an in-memory SQLite state and on a real PostgreSQL database.
#include <doctest/doctest.h>

#include "state/hlr_cache.hpp"
#include "state/message_log.hpp"
#include "state/outbox.hpp"
#include "support/state_backends.hpp"

using mobisync::state::HlrCache;
using mobisync::state::MessageLog;
using mobisync::state::Outbox;
using mobisync::state::MessageRecord;
using mobisync::state::StateStore;

namespace {

MessageRecord record(const std::string& key, const std::string& recipient) {
  MessageRecord m;
  m.dedup_key = key;
  m.job = "people";
  m.rule = "welcome";
  m.event = "contact.added";
  m.notifier = "sms";
  m.recipient = recipient;
  return m;
}

}  // namespace

TEST_SUITE("core.state") {
  TEST_CASE("receipts move a submitted message once and every one lands in its history") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    MessageLog log(store);
    auto ids = outbox.enqueue({record("k1", "4471"), record("k2", "4472")}, 1000);
    REQUIRE(outbox.claimDue("sms", "me", 1000, 10).size() == 2);
    outbox.markSubmitted(ids[0], "abc-1", 2000);
    outbox.markFailed(ids[1], "recipient unknown", 2000);

    auto enroute = log.recordReceipt("sms", "abc-1", "ENROUTE", "000", 0, "smpp", 2500);
    CHECK(enroute.matched);
    CHECK(enroute.status == "submitted");  // not final: the status stays
    auto delivered = log.recordReceipt("", "abc-1", "DELIVRD", "000", 0, "webhook", 4000);
    CHECK(delivered.matched);
    CHECK(delivered.id == ids[0]);
    CHECK(delivered.status == "delivered");
    CHECK(delivered.latency_ms == 2000);
    // A later contrary receipt is recorded but does not overwrite a final status; a repeat of
    // the same receipt from the same origin is not appended twice.
    CHECK(log.recordReceipt("sms", "abc-1", "UNDELIV", "001", 0, "smpp", 5000).status ==
          "delivered");
    log.recordReceipt("sms", "abc-1", "UNDELIV", "001", 0, "smpp", 5100);
    CHECK_FALSE(log.recordReceipt("sms", "no-such-id", "DELIVRD", "", 0, "smpp", 4000).matched);
    CHECK_FALSE(log.recordReceipt("other", "abc-1", "DELIVRD", "", 0, "smpp", 4000).matched);

    auto found = log.findByProviderId("sms", "abc-1");
    REQUIRE(found.has_value());
    CHECK(found->status == "delivered");
    CHECK(found->submitted_at_ms == 2000);
    std::vector<std::string> statuses;
    for (const auto& e : log.history(ids[0])) statuses.push_back(e.status + "/" + e.origin);
    CHECK(statuses == std::vector<std::string>{"queued/outbox", "sending/outbox",
                                               "submitted/outbox", "submitted/smpp",
                                               "delivered/webhook", "failed/smpp"});
    auto rows = log.list("", 10);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].status == "failed");
    CHECK(rows[0].detail == "recipient unknown");
  }

  TEST_CASE("submitted messages without a final receipt become unknown after the expiry") {
    StateStore store(mobisync::test::eachStateBackend());
    Outbox outbox(store);
    MessageLog log(store);
    auto ids = outbox.enqueue({record("k1", "4471"), record("k2", "4472"), record("k3", "4473")},
                              1000);
    outbox.claimDue("sms", "me", 1000, 10);
    outbox.markSubmitted(ids[0], "old", 1000);
    outbox.markSubmitted(ids[1], "young", 9000);
    outbox.markSubmitted(ids[2], "done", 1000);
    log.recordReceipt("sms", "done", "DELIVRD", "000", 0, "smpp", 2000);
    CHECK(log.expireUnreceipted(10'000, 5'000) == 1);
    CHECK(log.find(ids[0])->status == "unknown");
    CHECK(log.history(ids[0]).back().origin == "expiry");
    CHECK(log.find(ids[1])->status == "submitted");
    CHECK(log.find(ids[2])->status == "delivered");
    CHECK(log.expireUnreceipted(10'000, 5'000) == 0);
  }

  TEST_CASE("the lookup memo answers only when young enough") {
    StateStore store(mobisync::test::eachStateBackend());
    HlrCache cache(store);
    mobisync::plugin::NumberStatus s;
    s.state = mobisync::plugin::NumberStatus::State::Inactive;
    s.network = "O2";
    s.country = "GB";
    s.ported = true;
    s.detail = "EC_ABSENT_SUBSCRIBER";
    cache.store("447930000001", s, 10'000);
    auto hit = cache.find("447930000001", 5'000);
    REQUIRE(hit.has_value());
    CHECK(hit->status.state == mobisync::plugin::NumberStatus::State::Inactive);
    CHECK(hit->status.network == "O2");
    CHECK(hit->status.ported);
    CHECK_FALSE(cache.find("447930000001", 10'001).has_value());
    CHECK_FALSE(cache.find("447930000002", 0).has_value());
  }
}
