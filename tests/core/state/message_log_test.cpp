// SPDX-License-Identifier: Apache-2.0
// MessageLog and HlrCache on an in-memory SQLite state and on a real PostgreSQL database.
#include <doctest/doctest.h>

#include "state/hlr_cache.hpp"
#include "state/message_log.hpp"
#include "support/state_backends.hpp"

using mobisync::state::HlrCache;
using mobisync::state::MessageLog;
using mobisync::state::MessageOutcome;
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
  TEST_CASE("a dedup key is claimed once and a second claim gets no row") {
    StateStore store(mobisync::test::eachStateBackend());
    MessageLog log(store);
    auto first = log.claim({record("people/welcome/added/4471", "4471"),
                            record("people/welcome/added/4472", "4472")},
                           1000);
    REQUIRE(first.size() == 2);
    CHECK(first[0] > 0);
    CHECK(first[1] > first[0]);
    auto again = log.claim({record("people/welcome/added/4472", "4472"),
                            record("people/welcome/added/4473", "4473")},
                           2000);
    REQUIRE(again.size() == 2);
    CHECK(again[0] == 0);
    CHECK(again[1] > first[1]);
    auto rows = log.list("people", 10);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].recipient == "4473");  // newest first
    CHECK(rows[0].status == "pending");
  }

  TEST_CASE("outcomes and receipts are recorded on the claimed rows") {
    StateStore store(mobisync::test::eachStateBackend());
    MessageLog log(store);
    auto ids = log.claim({record("k1", "4471"), record("k2", "4472")}, 1000);
    log.record({MessageOutcome{ids[0], "sent", "abc-1", "", 2, "GSM-7"},
                MessageOutcome{ids[1], "dropped", "", "recipient opted out", 1, "GSM-7"}},
               3000);
    auto found = log.findByProviderId("sms", "abc-1");
    REQUIRE(found.has_value());
    CHECK(found->status == "sent");
    CHECK(found->parts == 2);
    CHECK(found->encoding == "GSM-7");
    CHECK(log.recordReceipt("sms", "abc-1", "delivered", "receipt DELIVRD error 000", 4000));
    CHECK_FALSE(log.recordReceipt("sms", "no-such-id", "delivered", "", 4000));
    CHECK(log.findByProviderId("sms", "abc-1")->status == "delivered");
    auto rows = log.list("", 10);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].status == "dropped");
    CHECK(rows[0].detail == "recipient opted out");
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
