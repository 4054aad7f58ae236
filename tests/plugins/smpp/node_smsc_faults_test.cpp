// SPDX-License-Identifier: Apache-2.0
// The ESME against the npm smpp package's SMSC (tests/smsc/smsc.js) when things go wrong:
// refusals, a connection dropped mid-window, throttling, malformed PDUs and unframeable streams.
#include <doctest/doctest.h>

#include "node_smsc_fixture.hpp"

using namespace node_smsc_fixture;

TEST_SUITE("plugin.smpp.node") {
TEST_CASE("a permanent refusal drops the message naming the status") {
  NodeSmscOptions o;
  o.reject_dest = {"447930000666"};
  NodeSmsc smsc(o);
  Esme esme(smsc.port());
  plugin::Delivery d = esme.send("nobody", "447930000666");
  CHECK(d.outcome == plugin::Delivery::Outcome::Drop);
  CHECK(d.detail.find("ESME_RINVDSTADR") != std::string::npos);
  CHECK(esme.send("somebody").outcome == plugin::Delivery::Outcome::Ok);
}

TEST_CASE("a refused bind gives Retry naming the status and never the password") {
  NodeSmscOptions o;
  o.password = "other";
  NodeSmsc smsc(o);
  Esme esme(smsc.port(), {{"timeout_ms", std::int64_t{300}}});
  plugin::Delivery d = esme.send("hello");
  CHECK(d.outcome == plugin::Delivery::Outcome::Retry);
  CHECK(d.detail.find("ESME_RINVPASWD") != std::string::npos);
  CHECK(d.detail.find("secret") == std::string::npos);
  CHECK(smsc.records("submit_sm").empty());
}

TEST_CASE("a connection dropped mid-window loses nothing and acknowledges nothing twice") {
  NodeSmscOptions o;
  o.hold_from = 5;
  o.drop_after_held = 6;
  NodeSmsc smsc(o);
  Esme esme(smsc.port(), {{"rate", std::int64_t{1000}}});
  std::vector<plugin::Message> batch;
  for (int i = 0; i < 30; ++i) {
    batch.push_back(plugin::Message{"447930000001", "message " + std::to_string(i), "", "r" + std::to_string(i)});
  }
  auto deliveries = esme.notifier.sendBatch(batch, plugin::BatchOptions{});
  REQUIRE(deliveries);
  std::set<std::string> ids;
  for (const auto& d : *deliveries) {
    CHECK(d.outcome == plugin::Delivery::Outcome::Ok);
    ids.insert(d.message_id);
  }
  CHECK(ids.size() == 30);
  Records all = smsc.records();
  CHECK(only(all, "held").size() == 6);
  CHECK(only(all, "drop").size() == 1);
  CHECK(only(all, "bind").size() >= 2);  // it came back
  // Each message's id is one the SMSC gave to a submit_sm carrying that message's text.
  std::map<std::pair<int, int>, std::string> submitted;  // (session, sequence) -> text
  for (const auto& r : only(all, "submit_sm")) submitted[{num(r, "session"), num(r, "sequence")}] = str(r, "text");
  std::map<std::string, std::string> text_of_id;
  std::map<std::string, int> answers_of_text;
  const int dropped_session = num(only(all, "drop").at(0), "session");
  for (const auto& r : only(all, "sent", "submit_sm_resp")) {
    if (num(r, "command_status") != 0) continue;
    const std::string text = submitted[{num(r, "session"), num(r, "sequence")}];
    text_of_id[str(r, "message_id")] = text;
    // An answer the SMSC wrote just before it dropped the connection may never have arrived;
    // that message is then submitted again (SMPP cannot know). Any other answer counts once.
    if (num(r, "session") != dropped_session) answers_of_text[text] += 1;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CAPTURE(i);
    CHECK(text_of_id[(*deliveries)[i].message_id] == batch[i].text);
    CHECK(answers_of_text[batch[i].text] <= 1);
  }
}

TEST_CASE("throttling pauses the bind then every message goes through") {
  NodeSmscOptions o;
  o.throttle_from = 3;
  o.throttle_count = 2;
  NodeSmsc smsc(o);
  Esme esme(smsc.port(), {{"throttle_pause_ms", std::int64_t{300}}, {"window", std::int64_t{1}}});
  std::vector<plugin::Message> batch;
  for (int i = 0; i < 8; ++i) batch.push_back(plugin::Message{"447930000001", "t" + std::to_string(i), "", ""});
  auto deliveries = esme.notifier.sendBatch(batch, plugin::BatchOptions{});
  REQUIRE(deliveries);
  for (const auto& d : *deliveries) CHECK(d.outcome == plugin::Delivery::Outcome::Ok);
  Records all = smsc.records();
  Records throttled;
  for (const auto& r : only(all, "sent", "submit_sm_resp")) {
    if (num(r, "command_status") == 0x58) throttled.push_back(r);
  }
  REQUIRE(throttled.size() == 2);
  // After each ESME_RTHROTTLED the next submit_sm waits for the pause (a lower bound only).
  Records submits = only(all, "submit_sm");
  CHECK(submits.size() == 10);
  for (const auto& t : throttled) {
    const double at = t->getValue<double>("t_ms");
    auto next = std::find_if(submits.begin(), submits.end(),
                             [&](const auto& s) { return s->template getValue<double>("t_ms") > at; });
    REQUIRE(next != submits.end());
    CHECK((*next)->getValue<double>("t_ms") - at >= 295.0);
  }
}

TEST_CASE("malformed PDUs from the SMSC get a nack naming the status and the session goes on") {
  NodeSmscOptions o;
  o.malformed_after_bind = true;
  NodeSmsc smsc(o);
  Esme esme(smsc.port());
  REQUIRE(esme.send("first").outcome == plugin::Delivery::Outcome::Ok);
  Records all = waitFor(smsc, [](const Records& r) {
    return !only(r, "received", "generic_nack").empty() && !only(r, "received", "deliver_sm_resp").empty();
  });
  Records resp;
  for (const auto& r : only(all, "received", "deliver_sm_resp")) {
    if (num(r, "sequence") == 9001) resp.push_back(r);
  }
  REQUIRE(resp.size() == 1);
  CHECK(num(resp[0], "command_status") == 0x0B);  // ESME_RINVDSTADR: the field that was wrong
  Records nack = only(all, "received", "generic_nack");
  REQUIRE(nack.size() == 1);
  CHECK(num(nack[0], "sequence") == 9002);
  CHECK(num(nack[0], "command_status") == 0x03);  // ESME_RINVCMDID
  // Same connection, still bound.
  CHECK(esme.send("second").outcome == plugin::Delivery::Outcome::Ok);
  CHECK(only(smsc.records(), "bind").size() == 1);
}

TEST_CASE("an unframeable stream closes the connection and the ESME binds again") {
  NodeSmscOptions o;
  o.garbage_after_bind = true;
  NodeSmsc smsc(o);
  Esme esme(smsc.port());
  REQUIRE(esme.send("before").outcome == plugin::Delivery::Outcome::Ok);
  Records all = waitFor(smsc, [](const Records& r) { return only(r, "bind").size() >= 2; });
  CHECK(only(all, "bind").size() >= 2);
  CHECK(esme.send("after").outcome == plugin::Delivery::Outcome::Ok);
}
}  // TEST_SUITE
