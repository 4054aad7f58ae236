// SPDX-License-Identifier: Apache-2.0
// SuppressionList and ReceivedMessages on SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include "state/received_messages.hpp"
#include "state/state_store.hpp"
#include "state/suppression_list.hpp"
#include "support/state_backends.hpp"

using mobisync::state::ReceivedMessage;
using mobisync::state::ReceivedMessages;
using mobisync::state::StateStore;
using mobisync::state::SuppressionList;

TEST_SUITE("core.state") {
  TEST_CASE("suppressions: the first record wins, remove lifts, channels are apart") {
    StateStore store(mobisync::test::eachStateBackend());
    SuppressionList list(store);
    CHECK_FALSE(list.contains("447700900001"));
    CHECK(list.add("447700900001", "sms", "reply", "STOP", 1000));
    CHECK_FALSE(list.add("447700900001", "sms", "provider", "2026-01-02", 2000));
    auto row = list.find("447700900001");
    REQUIRE(row.has_value());
    CHECK(row->origin == "reply");
    CHECK(row->detail == "STOP");
    CHECK(row->opted_out_at_ms == 1000);
    CHECK(row->provider_synced_at_ms == 0);
    CHECK(list.contains("447700900001", "sms"));
    CHECK_FALSE(list.contains("447700900001", "calls"));
    CHECK(list.add("447700900002", "sms", "provider", "2026-01-02", 3000));
    CHECK(list.find("447700900002")->provider_synced_at_ms == 3000);

    auto pending = list.unsynced("reply");
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].msisdn == "447700900001");
    list.markProviderSynced("447700900001", "sms", 4000);
    CHECK(list.unsynced("reply").empty());
    CHECK(list.find("447700900001")->provider_synced_at_ms == 4000);

    CHECK(list.list().size() == 2);
    CHECK(list.list("", "provider").size() == 1);
    CHECK(list.list("calls").empty());
    CHECK(list.remove("447700900001"));
    CHECK_FALSE(list.remove("447700900001"));
    CHECK_FALSE(list.contains("447700900001"));
  }

  TEST_CASE("received messages: a repeated key is stored once") {
    StateStore store(mobisync::test::eachStateBackend());
    ReceivedMessages received(store);
    mobisync::plugin::InboundMessage m{"", "447700900001", "12345", "STOP", 5000, ""};
    ReceivedMessage row;
    row.dedup_key = mobisync::state::inboundDedupKey(m, "sms");
    row.notifier = "sms";
    row.originator = m.from;
    row.body = m.text;
    row.received_at_ms = 5000;
    row.stored_at_ms = 6000;
    auto id = received.store(row);
    REQUIRE(id.has_value());
    CHECK_FALSE(received.store(row).has_value());
    // The same text at another time, or through another notifier, is another message.
    m.received_at_ms = 7000;
    CHECK(mobisync::state::inboundDedupKey(m, "sms") != row.dedup_key);
    CHECK(mobisync::state::inboundDedupKey(m, "http") != mobisync::state::inboundDedupKey(m, "sms"));
    m.id = "abc";
    CHECK(mobisync::state::inboundDedupKey(m, "sms") == "id:sms:abc");
    received.setAction(*id, "opted_out");
    auto rows = received.list("447700900001", 10);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].action == "opted_out");
    CHECK(rows[0].body == "STOP");
    CHECK(received.findAnswered("sms", "", "447700900001", 0) == 0);
  }
}
