// SPDX-License-Identifier: Apache-2.0
// The smpp notifier against the node SMSC answering like a real one (tests/smsc/realism.js):
// receipts seconds late, some lost, some repeated; replies (STOP in several spellings) from
// handsets; the 16-bit concatenation reference on the wire.
#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include "node_smsc_fixture.hpp"

using namespace node_smsc_fixture;

namespace {

// Polls the notifier until `done` holds or 30 s pass (the receipts are at most 3 s late).
template <class Done>
void pump(SmppNotifier& n, std::vector<plugin::Receipt>& receipts,
          std::vector<plugin::InboundMessage>& inbound, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : n.takeReceipts()) receipts.push_back(std::move(r));
    for (auto& m : n.takeInbound()) inbound.push_back(std::move(m));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string joined(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += id + " ";
  return out;
}

}  // namespace

TEST_SUITE("plugin.smpp.node_realism") {

TEST_CASE("a long-lived notifier gets late, repeated receipts and the handsets' replies") {
  const auto seed = std::random_device{}();
  std::cout << "node realism seed " << seed << "\n";
  NodeSmscOptions o;
  o.dlr_delay_min_ms = 0;
  o.dlr_delay_max_ms = 3000;
  o.dlr_lose_percent = 20;
  o.dlr_repeat_percent = 40;
  o.seed = seed;
  o.mo_after_submit = 3;
  o.mo_texts = {"STOP", " stop ", "Stop\xc3\xbf", "\xe2\x9c\x8b STOPALL"};  // GSM, Latin-1, UCS-2
  NodeSmsc smsc(o);
  Esme esme(smsc.port());
  std::set<std::string> sent_ids;
  for (int i = 0; i < 12; ++i) {
    auto d = esme.send("message " + std::to_string(i), "4479300000" + std::to_string(10 + i));
    REQUIRE(d.outcome == plugin::Delivery::Outcome::Ok);
    sent_ids.insert(d.message_id);
  }
  std::set<std::string> expected;  // planned and not lost
  std::size_t copies = 0;
  // The plan is recorded just after the submit_sm_resp goes out: wait for all 12.
  const Records planned =
      waitFor(smsc, [](const Records& r) { return only(r, "dlr_plan").size() == 12; });
  for (const auto& plan : only(planned, "dlr_plan")) {
    if (plan->getValue<bool>("lost")) continue;
    expected.insert(str(plan, "message_id"));
    copies += plan->getArray("delays_ms")->size();
  }
  INFO("seed " << seed);
  std::vector<plugin::Receipt> receipts;
  std::vector<plugin::InboundMessage> inbound;
  pump(esme.notifier, receipts, inbound, [&] {
    return receipts.size() == copies && inbound.size() == 4;
  });
  std::set<std::string> received;
  for (const auto& r : receipts) {
    CHECK(sent_ids.count(r.message_id) == 1);  // a repeat, too, names the message send() reported
    CHECK(r.state == "DELIVRD");
    received.insert(r.message_id);
  }
  CHECK(receipts.size() == copies);
  CHECK(joined(received) == joined(expected));
  REQUIRE(inbound.size() == 4);
  std::multiset<std::string> texts;
  for (const auto& m : inbound) {
    texts.insert(m.text);
    CHECK(m.from.rfind("4479300000", 0) == 0);
    CHECK(m.to == "Mobisync");
    CHECK(m.received_at_ms > 0);
  }
  CHECK(texts == std::multiset<std::string>(o.mo_texts.begin(), o.mo_texts.end()));
  // Every receipt and reply the SMSC sent was acknowledged, none twice.
  const Records all = smsc.records();
  CHECK(only(all, "dlr_acked").size() == only(all, "dlr_sent").size());
  CHECK(only(all, "mo_acked").size() == 4);
}

TEST_CASE("a reply acknowledged while the notifier shuts down is still handed over after it") {
  mobisync::test::TempDir dir;
  const std::string inject = dir.file("mo.jsonl");
  NodeSmscOptions o;
  o.mo_inject = inject;
  NodeSmsc smsc(o);
  Esme esme(smsc.port());
  esme.send("hello");  // opens the bind
  {
    std::ofstream out(inject, std::ios::app);
    out << R"({"from": "447930000001", "to": "Mobisync", "text": "STOP"})" << "\n";
  }
  auto acked = waitFor(smsc, [](const Records& r) { return only(r, "mo_acked").size() == 1; });
  REQUIRE(only(acked, "mo_acked").size() == 1);
  esme.notifier.shutdown();
  CHECK(esme.notifier.boundSessions() == 0);
  auto taken = esme.notifier.takeInbound();
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].text == "STOP");
  CHECK(taken[0].from == "447930000001");
  CHECK(esme.notifier.takeInbound().empty());
}

TEST_CASE("concat_reference_bits 16 puts IEI 0x08 with one 16-bit reference on every part") {
  NodeSmsc smsc;
  Esme esme(smsc.port(), {{"concat_reference_bits", std::int64_t{16}}});
  CHECK(esme.notifier.boundSessions() == 0);  // binds open on the first send
  auto d = esme.send(std::string(200, 'x'));
  REQUIRE(d.outcome == plugin::Delivery::Outcome::Ok);
  CHECK(esme.notifier.boundSessions() == 1);
  auto parts = only(smsc.records(), "submit_sm");
  REQUIRE(parts.size() == 2);
  const std::string first = str(parts[0], "udh"), second = str(parts[1], "udh");
  // 06 (UDH length) 08 (IEI: 16-bit reference) 04 (its length) RR RR 02 (parts) NN (this part)
  REQUIRE(first.size() == 14);
  CHECK(first.substr(0, 6) == "060804");
  CHECK(first.substr(10) == "0201");
  CHECK(second.substr(0, 10) == first.substr(0, 10));
  CHECK(second.substr(10) == "0202");
}

}  // TEST_SUITE
