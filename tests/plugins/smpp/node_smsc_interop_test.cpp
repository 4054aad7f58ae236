// SPDX-License-Identifier: Apache-2.0
// The ESME against an SMSC no one here wrote: the npm smpp package (tests/smsc/smsc.js). The
// SMSC records every PDU and its own reading of each submit_sm, so these tests check what went
// over the wire: binds, GSM-7 and UCS-2 texts, UDH of long messages, receipts, keep-alive,
// unbind, and the faults (a connection dropped mid-window, throttling).
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Logger.h>
#include <doctest/doctest.h>

#include "smpp_notifier.hpp"
#include "support/node_smsc.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;
using mobisync::test::NodeSmsc;
using mobisync::test::NodeSmscOptions;
using Records = std::vector<Poco::JSON::Object::Ptr>;

namespace {

// A configured, initialised notifier pointed at the node SMSC.
class Esme {
 public:
  Esme(int port, const std::map<std::string, plugin::ConfigValue>& extra = {}) {
    config_.set("host", std::string("127.0.0.1"), "");
    config_.set("port", std::int64_t{port}, "");
    config_.set("system_id", std::string("demo"), "");
    config_.set("password", std::string("secret"), "");
    config_.set("route_id", std::string("route-7"), "");
    config_.set("originator", std::string("Mobisync"), "");
    config_.set("reconnect_min_ms", std::int64_t{50}, "");
    config_.set("reconnect_max_ms", std::int64_t{200}, "");
    config_.set("timeout_ms", std::int64_t{3000}, "");
    for (const auto& [key, value] : extra) config_.set(key, value, "");
    Status s = notifier.init(context_);
    REQUIRE_MESSAGE(s.isOk(), s.message());
  }
  ~Esme() { notifier.shutdown(); }

  plugin::Delivery send(const std::string& text, const std::string& to = "447930000001") {
    auto d = notifier.send(plugin::Message{to, text, "", "ref"});
    REQUIRE_MESSAGE(d, d.error().message());
    return *d;
  }

  SmppNotifier notifier;

 private:
  plugin::ConfigValues config_;
  plugin::Context context_{"test", config_, Poco::Logger::get("test.smpp")};
};

std::string str(const Poco::JSON::Object::Ptr& r, const char* key) {
  return r->optValue<std::string>(key, "");
}
int num(const Poco::JSON::Object::Ptr& r, const char* key) { return r->optValue<int>(key, -1); }

// Waits (up to 10 s) until `ready` holds for the SMSC's records; the records then.
template <class Pred>
Records waitFor(const NodeSmsc& smsc, Pred ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    Records all = smsc.records();
    if (ready(all) || std::chrono::steady_clock::now() > deadline) return all;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Records only(const Records& all, const std::string& event, const std::string& command = "") {
  Records out;
  for (const auto& r : all) {
    if (str(r, "event") == event && (command.empty() || str(r, "command") == command)) out.push_back(r);
  }
  return out;
}

std::vector<plugin::Receipt> waitReceipts(SmppNotifier& n, std::size_t count) {
  std::vector<plugin::Receipt> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : n.takeReceipts()) got.push_back(std::move(r));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return got;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kRouteHex = "726f7574652d37";  // "route-7"

}  // namespace

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
