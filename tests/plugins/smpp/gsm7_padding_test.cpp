// SPDX-License-Identifier: Apache-2.0
// Packed GSM-7 as a handset reads it (3GPP TS 23.038 6.1.2.1.1 CR padding), per part of a long
// message, and the concatenation reference each part carries (8- and 16-bit).
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "mobisync/sms/gsm7_padding.hpp"
#include "submit_builder.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;

namespace {

Options packing(int reference_bits = 8) {
  Options o;
  o.host = "127.0.0.1";
  o.system_id = "demo";
  o.originator = "Mobisync";
  o.gsm7_packing = true;
  o.concat_reference_bits = reference_bits;
  return o;
}

NextReference fixed(std::uint32_t reference) {
  return [reference](const std::string&, std::uint32_t) { return reference; };
}

std::vector<mobisync::smpp::ShortMessage> build(const std::string& text, const Options& o) {
  auto built = buildSubmits(plugin::Message{"447930000001", text, "", "r"}, o, fixed(0x1234));
  REQUIRE_MESSAGE(built, built.error().message());
  return built->segments;
}

// What a handset reads from one part: the UDH skipped, the septets up to the last whole one,
// a CR that ends exactly on an octet boundary dropped.
std::string receivedSeptets(const mobisync::smpp::ShortMessage& sm) {
  std::string_view body = sm.short_message;
  unsigned fill = 0;
  if (sm.esm_class != 0) {
    const std::size_t udh = 1 + static_cast<unsigned char>(body.front());
    body.remove_prefix(udh);
    fill = static_cast<unsigned>((7 - (udh * 8) % 7) % 7);
  }
  return sms::unpackSeptetsPadded(body, fill);
}

// A GSM-7 text of `septets` septets, drawn so that '@' and CR often end a part.
std::string randomText(std::mt19937& random, std::size_t septets) {
  static const std::vector<std::string> pool = {"a", "Z", " ", "@", "\r", "!", "\xc3\xa9", "{"};
  std::discrete_distribution<int> pick({4, 1, 2, 3, 3, 1, 1, 1});
  std::string text;
  std::size_t n = 0;
  while (n < septets) {
    std::string c = pool[static_cast<std::size_t>(pick(random))];
    const std::size_t width = c == "{" ? 2 : 1;
    if (n + width > septets) c = "@";
    text += c;
    n += c == "{" ? 2 : 1;
  }
  return text;
}

}  // namespace

TEST_SUITE("plugin.smpp.gsm7_padding") {

TEST_CASE("a text of 8n-1 septets is padded with CR, so a trailing '@' stays distinct") {
  auto seven = build("Hello!!", packing());
  auto eight = build("Hello!!@", packing());
  REQUIRE(seven.size() == 1);
  REQUIRE(eight.size() == 1);
  CHECK(seven[0].short_message.size() == 7);
  CHECK(eight[0].short_message.size() == 7);
  CHECK(seven[0].short_message != eight[0].short_message);
  // The 7 spare bits of the last octet hold CR (0x0D), not 0 ('@').
  const unsigned last_septet = static_cast<unsigned char>(seven[0].short_message.back()) >> 1;
  CHECK(last_septet == 0x0D);
  CHECK(*sms::decodeGsm7(receivedSeptets(seven[0])) == "Hello!!");
  CHECK(*sms::decodeGsm7(receivedSeptets(eight[0])) == "Hello!!@");
}

TEST_CASE("a text of 8n septets ending with CR gets a second CR so its own is not taken for padding") {
  auto parts = build("Hello!\r\r", packing());  // 8 septets, the last CR wanted
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].short_message.size() == 8);  // 9 septets
  CHECK(*sms::decodeGsm7(receivedSeptets(parts[0])) == "Hello!\r\r\r");
  // 8n-1 septets ending with CR: the padding CR follows it and is dropped again.
  auto padded = build("Hello!\r", packing());
  CHECK(padded[0].short_message.size() == 7);
  CHECK(*sms::decodeGsm7(receivedSeptets(padded[0])) == "Hello!\r");
}

TEST_CASE("every text of 1..320 septets reads back as sent, part by part, with either UDH") {
  const auto seed = std::random_device{}();
  std::cout << "gsm7 padding property seed " << seed << "\n";
  std::mt19937 random(seed);
  for (int bits : {8, 16}) {
    for (std::size_t septets = 1; septets <= 320; ++septets) {
      const std::string text = randomText(random, septets);
      auto encoded = bits == 16 ? sms::encode(text, sms::kConcat16BitLimits) : sms::encode(text);
      REQUIRE(encoded);
      auto parts = build(text, packing(bits));
      REQUIRE(parts.size() == encoded->parts.size());
      std::string joined;
      bool exact = true;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        INFO("seed " << seed << ", " << bits << "-bit UDH, " << septets << " septets, part " << i);
        const std::string& sent = encoded->parts[i];
        const std::string read = receivedSeptets(parts[i]);
        CHECK(parts[i].short_message.size() <= 140);
        const std::size_t udh = parts.size() > 1 ? (bits == 16 ? 7 : 6) : 0;
        const unsigned fill = static_cast<unsigned>((7 - (udh * 8) % 7) % 7);
        const bool cr_on_boundary = (fill + 7 * sent.size()) % 8 == 0 && sent.back() == '\r';
        if (!cr_on_boundary) {
          CHECK(read == sent);  // no '@' added, no CR added or lost
        } else if (udh + (fill + 7 * (sent.size() + 1) + 7) / 8 <= 140) {
          CHECK(read == sent + "\r");  // CR CR: shown as one CR
          exact = false;
        } else {
          CHECK(read == sent.substr(0, sent.size() - 1));  // no room: the trailing CR goes
          exact = false;
        }
        joined += read;
      }
      if (exact) {
        INFO("seed " << seed << ", " << bits << "-bit UDH, " << septets << " septets");
        CHECK(*sms::decodeGsm7(joined) == text);
      }
    }
  }
}

TEST_CASE("a long message carries one reference in an 8-bit (IEI 0x00) or 16-bit (IEI 0x08) UDH") {
  std::vector<std::pair<std::string, std::uint32_t>> asked;
  NextReference source = [&](const std::string& to, std::uint32_t modulus) {
    asked.emplace_back(to, modulus);
    return 0xBEEFU;
  };
  Options eight = packing(8);
  eight.gsm7_packing = false;
  auto built8 = buildSubmits(plugin::Message{"447930000001", std::string(200, 'a'), "", "r"},
                             eight, [&](const std::string& to, std::uint32_t m) {
                               return source(to, m) % m;
                             });
  REQUIRE(built8);
  REQUIRE(built8->segments.size() == 2);
  CHECK(built8->segments[1].short_message.substr(0, 6) == std::string("\x05\x00\x03\xEF\x02\x02", 6));
  Options sixteen = eight;
  sixteen.concat_reference_bits = 16;
  auto built16 = buildSubmits(plugin::Message{"447930000001", std::string(304, 'a'), "", "r"},
                              sixteen, source);
  REQUIRE(built16);
  REQUIRE(built16->segments.size() == 2);  // 152 septets per part with the longer UDH
  CHECK(built16->segments[0].short_message.substr(0, 7) ==
        std::string("\x06\x08\x04\xBE\xEF\x02\x01", 7));
  CHECK(built16->segments[0].short_message.size() == 7 + 152);
  REQUIRE(asked.size() == 2);
  CHECK(asked[0] == std::pair<std::string, std::uint32_t>("447930000001", 256));
  CHECK(asked[1].second == 65536);
  // A one-part message asks for no reference.
  CHECK(buildSubmits(plugin::Message{"447930000001", "hi", "", "r"}, eight, source));
  CHECK(asked.size() == 2);
}

}  // TEST_SUITE
