// SPDX-License-Identifier: Apache-2.0
// The ESME's small parts: receipt matching, options (the rate limiter: rate_limiter_test.cpp).
#include <chrono>
#include <string>

#include <doctest/doctest.h>

#include "receipts.hpp"
#include "smpp_options.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;
using namespace std::chrono_literals;

TEST_SUITE("plugin.smpp.esme") {

TEST_CASE("receipts match submitted ids written in the other base") {
  ReceiptMatcher m(1000, std::chrono::milliseconds(0));
  m.expect({"1A2B"});
  m.expect({"16"});
  m.expect({"10"});
  m.add(plugin::Receipt{"6699", "DELIVRD", "000", 5});
  m.add(plugin::Receipt{"10", "UNDELIV", "001", 6});
  m.add(plugin::Receipt{"unknown-id", "EXPIRED", "000", 7});
  auto r = m.take();
  REQUIRE(r.size() == 3);
  CHECK(r[0].message_id == "1A2B");
  CHECK(r[0].state == "DELIVRD");
  CHECK(r[1].message_id == "10");  // the exact id wins over "16" (which is 0x10)
  CHECK(r[2].message_id == "unknown-id");
  CHECK(m.take().empty());
}

TEST_CASE("a long message gives one receipt once every part is final") {
  ReceiptMatcher m(1000, std::chrono::milliseconds(0));
  m.expect({"a1", "a2", "a3"});
  m.add(plugin::Receipt{"a2", "DELIVRD", "000", 10});
  m.add(plugin::Receipt{"a1", "ENROUTE", "000", 0});
  CHECK(m.take().empty());
  m.add(plugin::Receipt{"a1", "DELIVRD", "000", 30});
  CHECK(m.take().empty());
  m.add(plugin::Receipt{"a3", "UNDELIV", "034", 20});
  auto r = m.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].message_id == "a1");
  CHECK(r[0].state == "UNDELIV");
  CHECK(r[0].error == "034");
  CHECK(r[0].done_at_ms == 30);
}

TEST_CASE("the matcher forgets the oldest beyond its capacity") {
  ReceiptMatcher m(2, std::chrono::milliseconds(0));
  m.expect({"a"});
  m.expect({"b"});
  m.expect({"c"});
  m.add(plugin::Receipt{"10", "DELIVRD", "000", 0});  // 0xa, forgotten
  m.add(plugin::Receipt{"12", "DELIVRD", "000", 0});  // 0xc
  auto r = m.take();
  REQUIRE(r.size() == 2);
  // The forgotten one passes through as received (after the matched ones).
  CHECK(r[0].message_id == "c");
  CHECK(r[1].message_id == "10");
}

TEST_CASE("a receipt that overtakes its submit_sm_resp waits for it") {
  ReceiptMatcher m(100, std::chrono::hours(1));
  const auto key = m.open(1);
  m.add(plugin::Receipt{"255", "DELIVRD", "000", 0});
  CHECK(m.take().empty());
  m.accepted(key, 0, "FF");
  auto r = m.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].message_id == "FF");
}

TEST_CASE("receipts are read from deliver_sm text and TLVs") {
  mobisync::smpp::ShortMessage dlr;
  dlr.esm_class = 0x04;
  dlr.short_message = "id:77 sub:001 dlvrd:001 submit date:2601010000 done date:2601010001 stat:DELIVRD err:000 text:";
  auto r = receiptFrom(dlr);
  REQUIRE(r);
  CHECK(r->message_id == "77");
  CHECK(r->state == "DELIVRD");
  CHECK(r->done_at_ms == 1767225660000LL);
  dlr.tlvs.receipted_message_id = "4d";
  dlr.tlvs.message_state = 5;
  r = receiptFrom(dlr);
  REQUIRE(r);
  CHECK(r->message_id == "4d");
  CHECK(r->state == "UNDELIV");
  mobisync::smpp::ShortMessage mo;
  mo.short_message = "hello there";
  CHECK_FALSE(receiptFrom(mo));
}

TEST_CASE("options name the key and its place") {
  plugin::ConfigValues c;
  c.set("host", std::string("127.0.0.1"), "");
  c.set("system_id", std::string("demo"), "");
  c.set("password", std::string("pw"), "");
  c.set("binds", std::int64_t{4}, "m.toml:9:1");
  auto o = readOptions(c);
  REQUIRE_FALSE(o);
  CHECK(o.error().message().find("m.toml:9:1: binds") == 0);
  c.set("binds", std::int64_t{3}, "m.toml:9:1");
  c.set("bind_mode", std::string("rx"), "m.toml:10:1");
  CHECK(readOptions(c).error().message().find("bind_mode") != std::string::npos);
  c.set("bind_mode", std::string("tx_rx"), "m.toml:10:1");
  c.set("route_id", std::string("r"), "m.toml:11:1");
  CHECK(readOptions(c).error().message().find("route_id") != std::string::npos);
  c.set("route_id", std::string("route-7"), "m.toml:11:1");
  c.set("password", std::string("much-too-long"), "");
  auto pw = readOptions(c);
  REQUIRE_FALSE(pw);
  CHECK(pw.error().message().find("much-too-long") == std::string::npos);
  c.set("password", std::string("pw"), "");
  auto ok = readOptions(c);
  REQUIRE(ok);
  CHECK(ok->bind_mode == BindMode::TransmitterReceiver);
  CHECK(ok->binds == 3);
  CHECK(ok->window == 10);
  CHECK(ok->rate == 20);
  CHECK(ok->system_type == "CMT");
}

}  // TEST_SUITE
