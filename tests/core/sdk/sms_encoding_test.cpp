// SPDX-License-Identifier: Apache-2.0
// SMS encoding: the GSM 03.38 tables, UCS-2 fallback, part boundaries, septet packing, originators.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "mobisync/sms/sms.hpp"

using mobisync::Errc;
namespace sms = mobisync::sms;

namespace {

sms::Encoded encoded(std::string_view text) {
  auto r = sms::encode(text);
  REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message()));
  return *r;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (!out.empty()) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 0x0F];
  }
  return out;
}

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

/// The encoded text decoded again, all parts joined.
std::string roundTrip(const sms::Encoded& e) {
  std::string payload;
  for (const auto& p : e.parts) payload += p;
  auto r = e.coding == sms::Coding::Gsm7 ? sms::decodeGsm7(payload) : sms::decodeUcs2(payload);
  REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message()));
  return *r;
}

// The default alphabet written out independently of the header's table, septets 0x00..0x7F in
// order without the escape 0x1B (3GPP TS 23.038 6.2.1).
const char* const kDefaultAlphabetInOrder =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ" "ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

}  // namespace

TEST_SUITE("core.sms") {
  TEST_CASE("every default alphabet character encodes to its septet and decodes back") {
    auto decoded = sms::decodeUtf8(kDefaultAlphabetInOrder);
    REQUIRE(decoded.has_value());
    REQUIRE(decoded->size() == 127);
    std::size_t index = 0;
    for (unsigned septet = 0; septet < 128; ++septet) {
      if (septet == sms::kGsm7Escape) continue;
      std::string one;
      sms::appendUtf8(one, (*decoded)[index++]);
      CAPTURE(septet);
      CAPTURE(one);
      const sms::Encoded e = encoded(one);
      CHECK(e.coding == sms::Coding::Gsm7);
      CHECK(e.units == 1);
      REQUIRE(e.partCount() == 1);
      CHECK(e.parts[0] == std::string(1, static_cast<char>(septet)));
      CHECK(roundTrip(e) == one);
    }
    const sms::Encoded all = encoded(kDefaultAlphabetInOrder);
    CHECK(all.coding == sms::Coding::Gsm7);
    CHECK(all.units == 127);
    CHECK(roundTrip(all) == kDefaultAlphabetInOrder);
  }

  TEST_CASE("every extension character takes the escape and two septets") {
    const std::vector<std::pair<std::string, unsigned>> table = {
        {"\f", 0x0A}, {"^", 0x14}, {"{", 0x28}, {"}", 0x29}, {"\\", 0x2F},
        {"[", 0x3C},  {"~", 0x3D}, {"]", 0x3E}, {"|", 0x40}, {"€", 0x65},
    };
    REQUIRE(table.size() == sms::kGsm7Extensions.size());
    std::string all;
    for (const auto& [text, code] : table) {
      CAPTURE(text);
      const sms::Encoded e = encoded(text);
      CHECK(e.coding == sms::Coding::Gsm7);
      CHECK(e.units == 2);
      REQUIRE(e.partCount() == 1);
      CHECK(e.parts[0] == std::string{'\x1B', static_cast<char>(code)});
      CHECK(roundTrip(e) == text);
      all += text;
    }
    const sms::Encoded e = encoded("Price: 5€ [x]");
    CHECK(e.units == 16);
    CHECK(roundTrip(e) == "Price: 5€ [x]");
    CHECK(roundTrip(encoded(all)) == all);
  }

  TEST_CASE("text with a character outside GSM-7 is sent as UCS-2") {
    SUBCASE("Cyrillic") {
      const sms::Encoded e = encoded("Hello Анна");
      CHECK(e.coding == sms::Coding::Ucs2);
      CHECK(e.units == 10);
      CHECK(hex(e.parts[0]) == "00 48 00 65 00 6C 00 6C 00 6F 00 20 04 10 04 3D 04 3D 04 30");
      CHECK(roundTrip(e) == "Hello Анна");
    }
    SUBCASE("a lower-case c cedilla is not the default alphabet's capital one") {
      CHECK(encoded("garçon").coding == sms::Coding::Ucs2);
      CHECK(encoded("GARÇON").coding == sms::Coding::Gsm7);
    }
    SUBCASE("an emoji outside the BMP is a surrogate pair of 2 units") {
      const sms::Encoded e = encoded("ok 😀");
      CHECK(e.coding == sms::Coding::Ucs2);
      CHECK(e.units == 5);
      CHECK(hex(e.parts[0]) == "00 6F 00 6B 00 20 D8 3D DE 00");
      CHECK(roundTrip(e) == "ok 😀");
    }
    SUBCASE("accented letters of the default alphabet stay GSM-7") {
      const sms::Encoded e = encoded("Grüße aus Köln, €5");
      CHECK(e.coding == sms::Coding::Gsm7);
      CHECK(e.units == 19);
    }
  }

  TEST_CASE("GSM-7 fits 160 septets in one part and 153 per part beyond") {
    const sms::Encoded at160 = encoded(repeat("a", 160));
    CHECK(at160.partCount() == 1);
    CHECK(at160.units == 160);
    const sms::Encoded at161 = encoded(repeat("a", 161));
    REQUIRE(at161.partCount() == 2);
    CHECK(at161.parts[0].size() == 153);
    CHECK(at161.parts[1].size() == 8);
    const sms::Encoded at306 = encoded(repeat("a", 153 * 2));
    CHECK(at306.partCount() == 2);
    const sms::Encoded at307 = encoded(repeat("a", 153 * 2 + 1));
    REQUIRE(at307.partCount() == 3);
    CHECK(at307.parts[2] == "a");
    CHECK(encoded(repeat("€", 80)).partCount() == 1);
    CHECK(encoded(repeat("€", 80) + "a").partCount() == 2);
  }

  TEST_CASE("an escape pair that would straddle the 153 boundary moves whole to the next part") {
    const sms::Encoded e = encoded(repeat("a", 152) + "€" + repeat("b", 10));
    CHECK(e.units == 164);
    REQUIRE(e.partCount() == 2);
    CHECK(e.parts[0] == repeat("a", 152));
    CHECK(e.parts[1] == std::string("\x1B\x65") + repeat("b", 10));
    CHECK(roundTrip(e) == repeat("a", 152) + "€" + repeat("b", 10));

    const sms::Encoded fits = encoded(repeat("a", 151) + "€" + repeat("b", 10));
    REQUIRE(fits.partCount() == 2);
    CHECK(fits.parts[0].size() == 153);
    CHECK(fits.parts[0].substr(151) == "\x1B\x65");
  }

  TEST_CASE("UCS-2 fits 70 units in one part and 67 per part beyond") {
    const sms::Encoded at70 = encoded(repeat("я", 70));
    CHECK(at70.coding == sms::Coding::Ucs2);
    CHECK(at70.partCount() == 1);
    CHECK(at70.units == 70);
    const sms::Encoded at71 = encoded(repeat("я", 71));
    REQUIRE(at71.partCount() == 2);
    CHECK(at71.parts[0].size() == 67 * 2);
    CHECK(at71.parts[1].size() == 4 * 2);
    CHECK(encoded(repeat("я", 67 * 2)).partCount() == 2);
    CHECK(encoded(repeat("я", 67 * 2 + 1)).partCount() == 3);
  }

  TEST_CASE("an emoji at the 67 boundary moves whole to the next part") {
    const std::string text = repeat("я", 66) + "😀" + repeat("я", 10);
    const sms::Encoded e = encoded(text);
    CHECK(e.units == 78);
    REQUIRE(e.partCount() == 2);
    CHECK(e.parts[0].size() == 66 * 2);
    CHECK(hex(e.parts[1].substr(0, 4)) == "D8 3D DE 00");
    CHECK(roundTrip(e) == text);

    const sms::Encoded before = encoded(repeat("я", 65) + "😀" + repeat("я", 10));
    REQUIRE(before.partCount() == 2);
    CHECK(before.parts[0].size() == 67 * 2);
  }

  TEST_CASE("an empty text is one empty GSM-7 part") {
    const sms::Encoded e = encoded("");
    CHECK(e.coding == sms::Coding::Gsm7);
    CHECK(e.units == 0);
    REQUIRE(e.partCount() == 1);
    CHECK(e.parts[0].empty());
  }

  TEST_CASE("invalid UTF-8 is refused with the byte offset") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"ok \xC3\x28", "byte 3"},           // bad continuation
        {"\xC0\xAF", "byte 0"},              // overlong '/'
        {"ab\xED\xA0\x80", "byte 2"},        // a surrogate
        {"\xF4\x90\x80\x80", "byte 0"},      // above U+10FFFF
        {"trunc\xE2\x82", "byte 5"},         // truncated
        {"\xFF", "byte 0"},                  // never valid
    };
    for (const auto& [text, where] : cases) {
      CAPTURE(hex(text));
      auto r = sms::encode(text);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code() == Errc::Rejected);
      CHECK(r.error().message().find("invalid UTF-8 at " + where) != std::string::npos);
    }
  }

  TEST_CASE("septets pack and unpack as GSM 03.38 specifies") {
    CHECK(hex(sms::packSeptets("hellohello")) == "E8 32 9B FD 46 97 D9 EC 37");
    CHECK(hex(sms::packSeptets("12345678")) == "31 D9 8C 56 B3 DD 70");
    CHECK(hex(sms::packSeptets("hello")) == "E8 32 9B FD 06");
    CHECK(sms::packSeptets("").empty());
    // After a 6-byte UDH one fill bit puts the first septet on a septet boundary.
    CHECK(hex(sms::packSeptets("A", 1)) == "82");
    CHECK(hex(sms::packSeptets("hello", 1)) == "D0 65 36 FB 0D");

    CHECK(sms::unpackSeptets(sms::packSeptets("hellohello"), 10) == "hellohello");
    CHECK(sms::unpackSeptets(sms::packSeptets("12345678"), 8) == "12345678");
    const sms::Encoded e = encoded("{Grüße} " + repeat("x", 50) + " €");
    for (unsigned fill = 0; fill < 7; ++fill) {
      CAPTURE(fill);
      CHECK(sms::unpackSeptets(sms::packSeptets(e.parts[0], fill), e.parts[0].size(), fill) ==
            e.parts[0]);
    }
    SUBCASE("unpacking stops where the bytes end") {
      CHECK(sms::unpackSeptets("\xE8\x32", 10) == "he");
    }
  }

  TEST_CASE("the GSM-7 decoder reads escapes as the specification says") {
    CHECK(*sms::decodeGsm7(std::string("\x1B\x65") + "5") == "€5");
    // An escape before a septet the extension table lacks shows that septet's default character.
    CHECK(*sms::decodeGsm7(std::string("\x1B") + "A") == "A");
    auto trailing = sms::decodeGsm7(std::string("ab\x1B"));
    REQUIRE_FALSE(trailing.has_value());
    CHECK(trailing.error().message().find("escape at septet 2") != std::string::npos);
    auto high = sms::decodeGsm7("a\x80");
    REQUIRE_FALSE(high.has_value());
    CHECK(high.error().message().find("septet 1 is 128") != std::string::npos);
  }

  TEST_CASE("the UCS-2 decoder refuses odd lengths and unpaired surrogates") {
    CHECK(*sms::decodeUcs2(std::string("\x04\x10\xD8\x3D\xDE\x00", 6)) == "А😀");
    CHECK_FALSE(sms::decodeUcs2(std::string("\x00\x41\x00", 3)).has_value());
    auto lone_high = sms::decodeUcs2(std::string("\x00\x41\xD8\x3D", 4));
    REQUIRE_FALSE(lone_high.has_value());
    CHECK(lone_high.error().message().find("unit 1 is a high surrogate") != std::string::npos);
    auto lone_low = sms::decodeUcs2(std::string("\xDE\x00", 2));
    REQUIRE_FALSE(lone_low.has_value());
    CHECK(lone_low.error().message().find("unit 0 is a low surrogate") != std::string::npos);
  }

  TEST_CASE("the coding names are the ones operators read") {
    CHECK(std::string(sms::codingName(sms::Coding::Gsm7)) == "GSM-7");
    CHECK(std::string(sms::codingName(sms::Coding::Ucs2)) == "UCS-2");
  }

  TEST_CASE("originators are up to 11 alphanumerics or up to 15 digits") {
    CHECK(*sms::checkOriginator("MobiSync123") == sms::OriginatorKind::Alphanumeric);
    CHECK(*sms::checkOriginator("Dr. Smith") == sms::OriginatorKind::Alphanumeric);
    CHECK(*sms::checkOriginator("447930000000") == sms::OriginatorKind::Numeric);
    CHECK(*sms::checkOriginator("123456789012345") == sms::OriginatorKind::Numeric);
    CHECK(*sms::checkOriginator("+123456789012345") == sms::OriginatorKind::Numeric);

    const std::vector<std::pair<std::string, std::string>> refused = {
        {"MobiSync1234", "has 12 characters; an alphanumeric originator has at most 11"},
        {"1234567890123456", "has 16 digits; a numeric originator has at most 15"},
        {"+1234567890123456", "has 16 digits"},
        {"", "originator is empty"},
        {"Shop{1}", "character at byte 4"},
        {"Café", "character at byte 3"},
        {" Shop", "starts or ends with a space"},
    };
    for (const auto& [originator, why] : refused) {
      CAPTURE(originator);
      auto r = sms::checkOriginator(originator);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code() == Errc::InvalidConfig);
      CHECK(r.error().message().find(why) != std::string::npos);
    }
  }
}
