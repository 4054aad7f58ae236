// SPDX-License-Identifier: Apache-2.0
// The ESME against an SMSC no one here wrote: the npm smpp package (tests/smsc/smsc.js). The
// SMSC records every PDU and its own reading of each submit_sm, so these tests check what went
// over the wire: binds, GSM-7 and UCS-2 texts, UDH of long messages, receipts, keep-alive, TLS.
#include <doctest/doctest.h>

#include "node_smsc_fixture.hpp"

using namespace node_smsc_fixture;

TEST_SUITE("plugin.smpp.node") {
TEST_CASE("binds as a CMT transceiver and unbinds gracefully on shutdown") {
  NodeSmsc smsc;
  {
    Esme esme(smsc.port());
    CHECK(esme.send("hello").outcome == plugin::Delivery::Outcome::Ok);
  }
  Records all = waitFor(smsc, [](const Records& r) { return !only(r, "close").empty(); });
  Records binds = only(all, "bind");
  REQUIRE(binds.size() == 1);
  CHECK(str(binds[0], "command") == "bind_transceiver");
  CHECK(str(binds[0], "system_id") == "demo");
  CHECK(str(binds[0], "system_type") == "CMT");
  CHECK(num(binds[0], "interface_version") == 0x34);
  CHECK(binds[0]->getValue<bool>("password_ok"));
  CHECK(only(all, "unbind").size() == 1);
  CHECK(only(all, "sent", "unbind_resp").size() == 1);
}

TEST_CASE("GSM-7 text goes unpacked with route id TON NPI and a receipt request") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  const std::string text = "Hello {name}, 10 \xe2\x82\xac [ok] ~^\\|";
  plugin::Delivery d = esme.send(text);
  REQUIRE(d.outcome == plugin::Delivery::Outcome::Ok);
  CHECK(d.message_id == "1a2b00");
  Records submits = smsc.records("submit_sm");
  REQUIRE(submits.size() == 1);
  const auto& s = submits[0];
  CHECK(num(s, "data_coding") == 0);
  CHECK(num(s, "esm_class") == 0);
  CHECK(num(s, "registered_delivery") == 1);
  CHECK(num(s, "source_addr_ton") == 5);
  CHECK(num(s, "source_addr_npi") == 0);
  CHECK(str(s, "source_addr") == "Mobisync");
  CHECK(num(s, "dest_addr_ton") == 1);
  CHECK(num(s, "dest_addr_npi") == 1);
  CHECK(str(s, "destination_addr") == "447930000001");
  CHECK(str(s, "dest_subaddress") == kRouteHex);
  CHECK(str(s, "text") == text);  // node's own GSM 03.38 decoder reads it back
}

TEST_CASE("UCS-2 text with an emoji arrives as data_coding 8") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  const std::string text = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xf0\x9f\x98\x80";
  REQUIRE(esme.send(text).outcome == plugin::Delivery::Outcome::Ok);
  Records submits = smsc.records("submit_sm");
  REQUIRE(submits.size() == 1);
  CHECK(num(submits[0], "data_coding") == 8);
  CHECK(str(submits[0], "text") == text);
}

TEST_CASE("161 GSM characters go as 2 parts with one UDH reference") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  const std::string text = repeat("abcdefghij", 16) + "z";
  plugin::Delivery d = esme.send(text);
  REQUIRE(d.outcome == plugin::Delivery::Outcome::Ok);
  CHECK(d.detail == "2 parts");
  Records submits = smsc.records("submit_sm");
  REQUIRE(submits.size() == 2);
  std::string udh0 = str(submits[0], "udh");
  std::string udh1 = str(submits[1], "udh");
  REQUIRE(udh0.size() == 12);
  CHECK(udh0.substr(0, 6) == "050003");
  CHECK(udh0.substr(8) == "0201");
  CHECK(udh1.substr(0, 8) == udh0.substr(0, 8));  // same reference
  CHECK(udh1.substr(8) == "0202");
  CHECK(num(submits[0], "esm_class") == 0x40);
  CHECK(str(submits[0], "text").size() == 153);
  CHECK(str(submits[0], "text") + str(submits[1], "text") == text);
}

TEST_CASE("an extension character at a part boundary moves whole to the next part") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  // 152 + 2 + 10 septets: two parts, and the escape pair cannot end the first.
  const std::string text = std::string(152, 'a') + "\xe2\x82\xac" + "tail-tail-";
  REQUIRE(esme.send(text).outcome == plugin::Delivery::Outcome::Ok);
  Records submits = smsc.records("submit_sm");
  REQUIRE(submits.size() == 2);
  CHECK(str(submits[0], "text") == std::string(152, 'a'));
  CHECK(str(submits[1], "text") == "\xe2\x82\xac" "tail-tail-");
}

TEST_CASE("71 UCS-2 characters go as 2 parts and an emoji is never split") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  const std::string zhe = "\xd0\x96";
  REQUIRE(esme.send(repeat(zhe, 71)).outcome == plugin::Delivery::Outcome::Ok);
  const std::string emoji_text = repeat(zhe, 66) + "\xf0\x9f\x98\x80" + "xyz";
  REQUIRE(esme.send(emoji_text).outcome == plugin::Delivery::Outcome::Ok);
  Records submits = smsc.records("submit_sm");
  REQUIRE(submits.size() == 4);
  CHECK(num(submits[0], "data_coding") == 8);
  CHECK(str(submits[0], "udh").substr(8) == "0201");
  CHECK(str(submits[0], "text") == repeat(zhe, 67));
  CHECK(str(submits[1], "text") == repeat(zhe, 4));
  CHECK(str(submits[2], "text") == repeat(zhe, 66));
  CHECK(str(submits[3], "text") == "\xf0\x9f\x98\x80" "xyz");
  CHECK(str(submits[2], "udh").substr(0, 8) != str(submits[0], "udh").substr(0, 8));
}

TEST_CASE("receipts in decimal match the hex ids and are acknowledged") {
  NodeSmsc smsc;
  Esme esme(smsc.port());
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    plugin::Delivery d = esme.send("receipt " + std::to_string(i));
    REQUIRE(d.outcome == plugin::Delivery::Outcome::Ok);
    ids.insert(d.message_id);
  }
  // A long message: one receipt for the whole, under the first part's id.
  plugin::Delivery long_one = esme.send(std::string(200, 'L'));
  REQUIRE(long_one.outcome == plugin::Delivery::Outcome::Ok);
  ids.insert(long_one.message_id);
  auto receipts = waitReceipts(esme.notifier, 4);
  REQUIRE(receipts.size() == 4);
  std::set<std::string> got;
  for (const auto& r : receipts) {
    got.insert(r.message_id);
    CHECK(r.state == "DELIVRD");
    CHECK(r.error == "000");
    CHECK(r.done_at_ms > 0);
  }
  CHECK(got == ids);
  Records all = waitFor(smsc, [](const Records& r) { return only(r, "received", "deliver_sm_resp").size() >= 5; });
  Records resps = only(all, "received", "deliver_sm_resp");
  CHECK(resps.size() == 5);
  for (const auto& r : resps) CHECK(num(r, "command_status") == 0);
}

TEST_CASE("enquire_link keeps an idle link and the SMSC's enquire_link is answered") {
  NodeSmscOptions o;
  o.enquire_ms = 300;
  NodeSmsc smsc(o);
  Esme esme(smsc.port(), {{"enquire_interval", std::int64_t{1}}});
  REQUIRE(esme.send("keep me").outcome == plugin::Delivery::Outcome::Ok);
  // The SMSC's own enquire_link every 300 ms would count as traffic, so wait for ours by content.
  Records all = waitFor(smsc, [](const Records& r) {
    return !only(r, "received", "enquire_link_resp").empty();
  });
  CHECK_FALSE(only(all, "received", "enquire_link_resp").empty());
}

TEST_CASE("the ESME sends enquire_link when the link is idle") {
  NodeSmsc smsc;
  Esme esme(smsc.port(), {{"enquire_interval", std::int64_t{1}}});
  REQUIRE(esme.send("then quiet").outcome == plugin::Delivery::Outcome::Ok);
  Records all = waitFor(smsc, [](const Records& r) { return !only(r, "received", "enquire_link").empty(); });
  REQUIRE_FALSE(only(all, "received", "enquire_link").empty());
  CHECK_FALSE(only(all, "sent", "enquire_link_resp").empty());
}

TEST_CASE("over TLS the ESME binds to an SMSC it trusts and refuses an untrusted certificate") {
  mobisync::test::TempDir certs;
  const auto cert = mobisync::test::makeSelfSignedCertificate(certs, "smsc");
  NodeSmscOptions o;
  o.tls_cert = cert.cert_file;
  o.tls_key = cert.key_file;
  NodeSmsc smsc(o);
  {
    // The system store does not know the test CA: no bind, nothing submitted.
    Esme untrusted(smsc.port(), {{"tls", true}, {"timeout_ms", std::int64_t{500}}});
    plugin::Delivery d = untrusted.send("must not arrive");
    CHECK(d.outcome == plugin::Delivery::Outcome::Retry);
    INFO(d.detail);
    CHECK(d.detail.find("cannot connect") != std::string::npos);
    CHECK(d.detail.find("certificate") != std::string::npos);
    CHECK(smsc.records("submit_sm").empty());
  }
  Esme trusted(smsc.port(), {{"tls", true}, {"ca_file", cert.cert_file}});
  REQUIRE(trusted.send("over TLS").outcome == plugin::Delivery::Outcome::Ok);
  Records subs = waitFor(smsc, [](const Records& r) { return !only(r, "submit_sm").empty(); });
  REQUIRE(only(subs, "submit_sm").size() == 1);
}

TEST_CASE("tx_rx binds a transmitter and a receiver per bind") {
  NodeSmsc smsc;
  Esme esme(smsc.port(), {{"bind_mode", std::string("tx_rx")}, {"binds", std::int64_t{2}}});
  REQUIRE(esme.send("two pairs").outcome == plugin::Delivery::Outcome::Ok);
  Records binds = waitFor(smsc, [](const Records& r) { return only(r, "bind").size() >= 4; });
  std::multiset<std::string> commands;
  for (const auto& b : only(binds, "bind")) commands.insert(str(b, "command"));
  CHECK(commands.count("bind_transmitter") == 2);
  CHECK(commands.count("bind_receiver") == 2);
}
}  // TEST_SUITE
