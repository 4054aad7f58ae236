// SPDX-License-Identifier: Apache-2.0
// InboundHandler against a real temp state and the real simulator's proxy API: STOP suppresses
// once and subscribes optouts:sms, a repeat does nothing, a failed provider call is retried by a
// later pass, START reverses only what a reply did, confirmations and rule messages are asked for.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "notify/inbound_handler.hpp"
#include "notify/outbox_drain.hpp"
#include "notify/proxy_optout_subscriber.hpp"
#include "state/message_log.hpp"
#include "state/outbox.hpp"
#include "state/received_messages.hpp"
#include "state/state_store.hpp"
#include "state/suppression_list.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

using mobisync::notify::InboundAction;
using mobisync::notify::InboundHandler;
using mobisync::notify::OutgoingMessage;
using mobisync::plugin::InboundMessage;

namespace {

const std::string kNumber = "447700900123";

struct Fixture {
  mobisync::test::TempDir dir;
  mobisync::test::SimulatorProcess sim;
  mobisync::config::AppConfig cfg;
  mobisync::state::StateStore store{dir.file("state.db")};
  std::vector<OutgoingMessage> outbox;

  Fixture() {
    cfg.provider.base_url = sim.baseUrl();
    cfg.provider.username = "demo";
    cfg.provider.password = "demo-secret";
    cfg.optouts.languages.front().confirmation = "You will get no more messages. START to undo.";
    mobisync::config::NotifyRule rule;
    rule.name = "tell-admin";
    rule.event = mobisync::values::Event::ContactOptedOut;
    rule.via = "sms";
    rule.to = {"447700900999"};
    rule.template_text = "{msisdn} sent {keyword}";
    cfg.notify_rules.push_back(rule);
    rule.name = "log-replies";
    rule.event = mobisync::values::Event::MessageReceived;
    rule.template_text = "{msisdn}: {text}";
    cfg.notify_rules.push_back(rule);
  }
  mobisync::notify::Enqueue recorder() {
    return [this](const OutgoingMessage& m, std::int64_t) {
      for (const auto& o : outbox) {
        if (o.dedup_key == m.dedup_key) return false;
      }
      outbox.push_back(m);
      return true;
    };
  }
  bool subscribedAtProvider() {
    auto subs = sim.subscriptions();
    return subs.count(kNumber) != 0 && subs[kNumber].count("optouts:sms") != 0;
  }
};

InboundMessage reply(const std::string& text, std::int64_t at) {
  return InboundMessage{"", kNumber, "12345", text, at, ""};
}

}  // namespace

TEST_SUITE("core.notify.integration") {
  TEST_CASE("STOP suppresses the number once, tells the provider, confirms and fires rules") {
    Fixture f;
    mobisync::notify::ProxyOptoutSubscriber proxy(f.cfg.provider);
    InboundHandler handler(f.cfg, f.store, &proxy, f.recorder());
    handler.clock = [] { return std::int64_t{1'800'000'000'000}; };

    auto r = handler.handle(reply(" stop! ", 1000), "sms");
    CHECK(r.stored);
    CHECK(r.action == InboundAction::OptedOut);
    CHECK(r.keyword == "STOP");
    CHECK(r.provider_synced);
    CHECK(r.reply_enqueued);
    CHECK(r.rule_messages == 2);
    CHECK(f.subscribedAtProvider());
    mobisync::state::SuppressionList list(f.store);
    REQUIRE(list.find(kNumber).has_value());
    CHECK(list.find(kNumber)->origin == "reply");
    CHECK(list.find(kNumber)->provider_synced_at_ms == 1'800'000'000'000);

    REQUIRE(f.outbox.size() == 3);
    CHECK(f.outbox[0].text == "447700900123 sent STOP");
    CHECK(f.outbox[0].recipient == "447700900999");
    CHECK(f.outbox[1].text == "447700900123:  stop! ");
    CHECK(f.outbox[2].rule == mobisync::notify::kConfirmationRule);
    CHECK(f.outbox[2].recipient == kNumber);
    CHECK(f.outbox[2].notifier == "sms");

    // The same deliver_sm again: stored once, nothing done twice.
    auto again = handler.handle(reply(" stop! ", 1000), "sms");
    CHECK_FALSE(again.stored);
    CHECK(again.action == InboundAction::None);
    CHECK(f.outbox.size() == 3);
    CHECK(mobisync::state::ReceivedMessages(f.store).list(kNumber, 10).size() == 1);

    // START reverses it, at the provider too since a reply put it there.
    auto back = handler.handle(reply("Start", 2000), "sms");
    CHECK(back.action == InboundAction::OptedIn);
    CHECK(back.provider_synced);
    CHECK_FALSE(list.contains(kNumber));
    CHECK_FALSE(f.subscribedAtProvider());
  }

  TEST_CASE("a provider that fails leaves the opt-out unsynced until a later pass") {
    Fixture f;
    mobisync::notify::ProxyOptoutSubscriber proxy(f.cfg.provider);
    InboundHandler handler(f.cfg, f.store, &proxy, f.recorder());
    f.sim.setFaults("error_rate=1");
    auto r = handler.handle(reply("UNSUBSCRIBE", 1000), "sms");
    CHECK(r.action == InboundAction::OptedOut);
    CHECK_FALSE(r.provider_synced);
    mobisync::state::SuppressionList list(f.store);
    CHECK(list.contains(kNumber));  // suppressed at once, whatever the provider said
    CHECK(list.unsynced().size() == 1);
    CHECK(handler.syncPending() == 0);
    f.sim.setFaults("error_rate=0");
    CHECK(handler.syncPending() == 1);
    CHECK(list.unsynced().empty());
    CHECK(f.subscribedAtProvider());
  }

  TEST_CASE("START lifts a provider's opt-out here but leaves the provider's list alone") {
    Fixture f;
    mobisync::notify::ProxyOptoutSubscriber proxy(f.cfg.provider);
    InboundHandler handler(f.cfg, f.store, &proxy, f.recorder());
    mobisync::state::SuppressionList list(f.store);
    list.add(kNumber, "sms", "provider", "2026-01-02 10:00:00", 500);
    auto r = handler.handle(reply("UNSTOP", 1000), "sms");
    CHECK(r.action == InboundAction::OptedIn);
    CHECK_FALSE(r.provider_synced);
    CHECK_FALSE(list.contains(kNumber));
    // A STOP of a number already suppressed changes nothing at the provider.
    list.add(kNumber, "sms", "provider", "2026-01-02 10:00:00", 500);
    auto s = handler.handle(reply("STOP", 3000), "sms");
    CHECK(s.action == InboundAction::OptedOut);
    CHECK_FALSE(s.provider_synced);
    CHECK(f.sim.subscriptions().count(kNumber) == 0);
  }

  TEST_CASE("an ordinary reply is stored, linked to nothing, and only fires message.received") {
    Fixture f;
    InboundHandler handler(f.cfg, f.store, nullptr, f.recorder());
    auto r = handler.handle(reply("see you at 5", 1000), "sms");
    CHECK(r.stored);
    CHECK(r.action == InboundAction::None);
    CHECK(r.in_reply_to == 0);
    CHECK_FALSE(r.reply_enqueued);
    CHECK(r.rule_messages == 1);
    CHECK_FALSE(mobisync::state::SuppressionList(f.store).contains(kNumber));
  }
}

TEST_SUITE("core.notify.integration") {
  TEST_CASE("replies are linked to the message they answer, and replies and rules go to the outbox") {
    Fixture f;
    const std::int64_t now = 1'800'000'000'000;
    mobisync::notify::QueuedMessage sent;
    sent.dedup_key = "test/reminder/" + kNumber;
    sent.notifier = "sms";
    sent.recipient = kNumber;
    sent.text = "Your appointment is tomorrow";
    const std::int64_t id = mobisync::notify::enqueueMessage(f.store, sent, now - 60'000);
    REQUIRE(id != 0);
    mobisync::state::Outbox(f.store).markSubmitted(id, "prov-1", now - 50'000);

    InboundHandler handler(f.cfg, f.store, nullptr);  // the real outbox
    handler.clock = [now] { return now; };
    auto named = handler.handle(InboundMessage{"in-1", kNumber, "12345", "ok", now, "prov-1"},
                                "sms");
    CHECK(named.in_reply_to == id);
    auto latest = handler.handle(InboundMessage{"in-2", kNumber, "12345", "STOP", now, ""}, "sms");
    CHECK(latest.in_reply_to == id);
    CHECK(latest.reply_enqueued);
    CHECK(latest.rule_messages == 2);  // contact.opted_out and message.received
    // Eight days later the same number's reply answers nothing we know of.
    handler.clock = [now] { return now + 8LL * 86'400'000; };
    auto late = handler.handle(
        InboundMessage{"in-3", kNumber, "12345", "hello", now + 8LL * 86'400'000, ""}, "sms");
    CHECK(late.in_reply_to == 0);

    bool confirmation = false;
    for (const auto& m : mobisync::state::MessageLog(f.store).list("", 50)) {
      if (m.rule == mobisync::notify::kConfirmationRule) {
        confirmation = true;
        CHECK(m.recipient == kNumber);
        CHECK(m.status == "queued");
      }
    }
    CHECK(confirmation);
  }
}
