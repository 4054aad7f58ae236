// SPDX-License-Identifier: Apache-2.0
// What goes into each submit_sm: coding, parts and UDH, addresses, TLVs, the encoding edge cases.
#include <string>

#include <doctest/doctest.h>

#include "mobisync/sms/encoding.hpp"
#include "submit_builder.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;

namespace {

Options options() {
  Options o;
  o.host = "127.0.0.1";
  o.system_id = "demo";
  o.route_id = "route-7";
  return o;
}

// A reference source that always answers `reference`.
NextReference fixed(std::uint32_t reference) {
  return [reference](const std::string&, std::uint32_t) { return reference; };
}

plugin::Message message(std::string text, std::string originator = "Mobisync") {
  return plugin::Message{"447930000001", std::move(text), std::move(originator), "ref-1"};
}

// The text each part carries, decoded back (UDH stripped).
std::string partText(const mobisync::smpp::ShortMessage& sm, bool multi) {
  std::string payload = multi ? sm.short_message.substr(6) : sm.short_message;
  auto text = sm.data_coding == kDataCodingGsm7 ? sms::decodeGsm7(payload) : sms::decodeUcs2(payload);
  REQUIRE(text);
  return *text;
}

}  // namespace

TEST_SUITE("plugin.smpp.submit") {

TEST_CASE("a short GSM-7 text is one unpacked submit_sm with route and receipt request") {
  auto built = buildSubmits(message("Hello {name}"), options(), fixed(7));
  REQUIRE(built);
  REQUIRE(built->segments.size() == 1);
  const auto& sm = built->segments[0];
  CHECK(sm.data_coding == 0);
  CHECK(sm.esm_class == 0);
  CHECK(sm.registered_delivery == 1);
  CHECK(sm.source_addr_ton == 5);
  CHECK(sm.source_addr_npi == 0);
  CHECK(sm.dest_addr_ton == 1);
  CHECK(sm.dest_addr_npi == 1);
  CHECK(sm.destination_addr == "447930000001");
  CHECK(*sm.tlvs.dest_subaddress == "route-7");
  // '{' and '}' are extension characters: escape + septet each, one septet per octet.
  CHECK(sm.short_message.size() == 14);
  CHECK(sm.short_message[6] == '\x1b');
  CHECK(partText(sm, false) == "Hello {name}");
}

TEST_CASE("a numeric originator gets TON 1 NPI 1 without its plus") {
  auto built = buildSubmits(message("hi", "+447700900123"), options(), fixed(1));
  REQUIRE(built);
  CHECK(built->segments[0].source_addr == "447700900123");
  CHECK(built->segments[0].source_addr_ton == 1);
  CHECK(built->segments[0].source_addr_npi == 1);
}

TEST_CASE("bad recipients and originators are refused saying which") {
  Options o = options();
  auto to = buildSubmits(plugin::Message{"44-7930", "hi", "Mobisync", ""}, o, fixed(1));
  REQUIRE_FALSE(to);
  CHECK(to.error().message().find("recipient") != std::string::npos);
  auto from = buildSubmits(message("hi", "TwelveChars!"), o, fixed(1));
  REQUIRE_FALSE(from);
  CHECK(from.error().message().find("originator") != std::string::npos);
  auto none = buildSubmits(message("hi", ""), o, fixed(1));
  CHECK_FALSE(none);
  o.originator = "Fallback";
  auto fallback = buildSubmits(message("hi", ""), o, fixed(1));
  REQUIRE(fallback);
  CHECK(fallback->segments[0].source_addr == "Fallback");
}

TEST_CASE("161 GSM characters make 2 parts with the same 8-bit reference") {
  auto built = buildSubmits(message(std::string(161, 'a')), options(), fixed(0xAB));
  REQUIRE(built);
  REQUIRE(built->segments.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& sm = built->segments[i];
    CHECK(sm.esm_class == 0x40);
    CHECK(sm.short_message.substr(0, 6) ==
          std::string{0x05, 0x00, 0x03, static_cast<char>(0xAB), 0x02, static_cast<char>(i + 1)});
  }
  CHECK(built->segments[0].short_message.size() == 6 + 153);
  CHECK(built->segments[1].short_message.size() == 6 + 8);
}

TEST_CASE("160 GSM characters stay one part and 71 UCS-2 characters make 2") {
  CHECK(buildSubmits(message(std::string(160, 'a')), options(), fixed(1))->segments.size() == 1);
  std::string cyrillic;
  for (int i = 0; i < 70; ++i) cyrillic += "\xd0\x96";  // U+0416
  auto one = buildSubmits(message(cyrillic), options(), fixed(1));
  REQUIRE(one);
  CHECK(one->segments.size() == 1);
  CHECK(one->segments[0].data_coding == 8);
  auto two = buildSubmits(message(cyrillic + "\xd0\x96"), options(), fixed(1));
  REQUIRE(two);
  REQUIRE(two->segments.size() == 2);
  CHECK(two->segments[0].short_message.size() == 6 + 67 * 2);
  CHECK(two->segments[1].short_message.size() == 6 + 4 * 2);
}

TEST_CASE("an extension character is never split across parts") {
  // 152 plain septets, then the euro sign (escape + 0x65): it cannot end part one.
  std::string text = std::string(152, 'a') + "\xe2\x82\xac" + std::string(10, 'b');
  auto built = buildSubmits(message(text), options(), fixed(1));
  REQUIRE(built);
  REQUIRE(built->segments.size() == 2);
  CHECK(built->segments[0].short_message.size() == 6 + 152);
  CHECK(built->segments[1].short_message.substr(6, 2) == "\x1b\x65");
  CHECK(partText(built->segments[0], true) + partText(built->segments[1], true) == text);
}

TEST_CASE("an emoji is never split across parts") {
  // 66 UCS-2 units, then U+1F600 (a surrogate pair): part one holds 66 units.
  std::string text;
  for (int i = 0; i < 66; ++i) text += "\xd0\x96";
  text += "\xf0\x9f\x98\x80";
  text += "xyz";
  auto built = buildSubmits(message(text), options(), fixed(1));
  REQUIRE(built);
  REQUIRE(built->segments.size() == 2);
  CHECK(built->segments[0].short_message.size() == 6 + 66 * 2);
  CHECK(built->segments[1].short_message.substr(6, 4) == std::string("\xd8\x3d\xde\x00", 4));
  CHECK(partText(built->segments[0], true) + partText(built->segments[1], true) == text);
}

TEST_CASE("gsm7_packing packs septets after a septet-aligned UDH") {
  Options o = options();
  o.gsm7_packing = true;
  auto single = buildSubmits(message(std::string(160, 'a')), o, fixed(1));
  REQUIRE(single);
  CHECK(single->segments[0].short_message.size() == 140);
  CHECK(sms::unpackSeptets(single->segments[0].short_message, 160) == std::string(160, 'a'));
  auto multi = buildSubmits(message(std::string(161, 'a')), o, fixed(1));
  REQUIRE(multi);
  const std::string& first = multi->segments[0].short_message;
  CHECK(first.size() == 6 + 134);  // 1 fill bit + 153 septets = 1072 bits
  CHECK(sms::unpackSeptets(first.substr(6), 153, 1) == std::string(153, 'a'));
}

TEST_CASE("registered_delivery false asks for no receipt") {
  Options o = options();
  o.registered_delivery = false;
  o.route_id.reset();
  auto built = buildSubmits(message("hi"), o, fixed(1));
  REQUIRE(built);
  CHECK(built->segments[0].registered_delivery == 0);
  CHECK_FALSE(built->segments[0].tlvs.dest_subaddress);
}

}  // TEST_SUITE
