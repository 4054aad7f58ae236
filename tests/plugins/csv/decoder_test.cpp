// SPDX-License-Identifier: Apache-2.0
// Utf8Decoder on its own: every encoding to UTF-8 whatever the read sizes, and undecodable
// sequences marked rather than dropped or passed off as text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "decoder.hpp"

namespace mobisync::plugins::csv {
namespace {

/// Bytes from a string, `piece` at a time, as a slow file or pipe would give them.
class PieceBytes final : public ByteSource {
 public:
  PieceBytes(std::string bytes, std::size_t piece) : bytes_(std::move(bytes)), piece_(piece) {}
  std::ptrdiff_t read(char* out, std::size_t size) override {
    if (fail_at_ != std::string::npos && at_ >= fail_at_) {
      return -1;
    }
    const std::size_t n = std::min({size, piece_, bytes_.size() - at_});
    std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
    return static_cast<std::ptrdiff_t>(n);
  }
  const std::string& error() const override { return error_; }
  void failAt(std::size_t at, std::string error) {
    fail_at_ = at;
    error_ = std::move(error);
  }

 private:
  std::string bytes_;
  std::size_t piece_;
  std::size_t at_ = 0;
  std::size_t fail_at_ = std::string::npos;
  std::string error_;
};

std::string utf16(const std::u16string& text, bool little_endian, bool bom) {
  std::string out;
  std::u16string units = bom ? u"\uFEFF" + text : text;
  for (const char16_t u : units) {
    const char hi = static_cast<char>(u >> 8);
    const char lo = static_cast<char>(u & 0xFF);
    out += little_endian ? lo : hi;
    out += little_endian ? hi : lo;
  }
  return out;
}

struct Decoded {
  bool ok = true;
  std::string text;
  std::string error;
};

Decoded decode(Encoding encoding, const std::string& bytes, std::size_t piece = 1 << 16,
               std::size_t out_size = 1 << 16) {
  PieceBytes input(bytes, piece);
  Utf8Decoder decoder(encoding, input);
  Decoded d;
  std::string buffer(out_size, '\0');
  for (;;) {
    const std::ptrdiff_t n = decoder.read(buffer.data(), buffer.size());
    if (n < 0) {
      d.ok = false;
      d.error = decoder.error();
      return d;
    }
    if (n == 0) {
      return d;
    }
    d.text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

// "Zoë 📱 €5", in UTF-8: the U+1F4F1 needs a surrogate pair in UTF-16.
const std::u16string kText16 = u"msisdn,name\r\n0400000001,Zo\u00EB \U0001F4F1 \u20AC5\r\n";
const std::string kText8 = "msisdn,name\r\n0400000001,Zo\xC3\xAB \xF0\x9F\x93\xB1 \xE2\x82\xAC" "5\r\n";

TEST_SUITE("plugin.csv") {

TEST_CASE("decoder: the encoding key's names, any case, and nothing else") {
  CHECK(parseEncoding("utf-8") == Encoding::Utf8);
  CHECK(parseEncoding("Windows-1252") == Encoding::Windows1252);
  CHECK(parseEncoding("ISO-8859-1") == Encoding::Iso88591);
  CHECK(parseEncoding("UTF-16") == Encoding::Utf16);
  CHECK_FALSE(parseEncoding("utf-32").has_value());
  CHECK_FALSE(parseEncoding("").has_value());
  CHECK(std::string(encodingName(Encoding::Windows1252)) == "windows-1252");
}

TEST_CASE("decoder: utf-16 of either byte order, with or without a BOM, for every read size") {
  for (const bool little : {true, false}) {
    for (const bool bom : {true, false}) {
      const std::string bytes = utf16(kText16, little, bom);
      for (std::size_t piece = 1; piece <= 9; ++piece) {
        for (const std::size_t out_size : {std::size_t{1}, std::size_t{3}, std::size_t{4096}}) {
          CAPTURE(little);
          CAPTURE(bom);
          CAPTURE(piece);
          CAPTURE(out_size);
          const Decoded d = decode(Encoding::Utf16, bytes, piece, out_size);
          REQUIRE(d.ok);
          CHECK(d.text == kText8);
        }
      }
    }
  }
}

TEST_CASE("decoder: a long utf-16 text crosses every internal buffer intact") {
  std::u16string text;
  std::string expected;
  for (int i = 0; i < 40000; ++i) {
    // Lengths vary, so the surrogate pairs land at every offset of the 64 KiB pieces.
    text += u"04" + std::u16string(static_cast<std::size_t>(i % 5), u'1') + u",\U0001F600\u00E9\n";
    expected += "04" + std::string(static_cast<std::size_t>(i % 5), '1') + ",\xF0\x9F\x98\x80\xC3\xA9\n";
  }
  for (const std::size_t piece : {std::size_t{65535}, std::size_t{1} << 20}) {
    CAPTURE(piece);
    const Decoded d = decode(Encoding::Utf16, utf16(text, true, true), piece);
    REQUIRE(d.ok);
    CHECK(d.text.size() == expected.size());
    CHECK(d.text == expected);
  }
}

TEST_CASE("decoder: a sequence that is not utf-16 becomes one 0xFF and decoding goes on") {
  SUBCASE("a high surrogate without its low half") {
    const Decoded d = decode(Encoding::Utf16, utf16(u"a\xD83D" u"b\n", true, true), 1);
    REQUIRE(d.ok);
    CHECK(d.text == "a\xFF" "b\n");
  }
  SUBCASE("a low surrogate alone") {
    const Decoded d = decode(Encoding::Utf16, utf16(u"a\xDC00" u"b\xDE00\n", false, true), 3);
    REQUIRE(d.ok);
    CHECK(d.text == "a\xFF" "b\xFF\n");
  }
  SUBCASE("an odd byte at the end") {
    const Decoded d = decode(Encoding::Utf16, utf16(u"ab\n", true, true) + "x");
    REQUIRE(d.ok);
    CHECK(d.text == "ab\n\xFF");
  }
}

TEST_CASE("decoder: windows-1252 and iso-8859-1 map every byte") {
  const std::string latin = "Ren\xE9 Z\xFCrich \x80 \x93q\x94 \x81";
  const Decoded w = decode(Encoding::Windows1252, latin, 2);
  REQUIRE(w.ok);
  // 0x80 is the euro sign and 0x93/0x94 curly quotes in windows-1252; 0x81, which it leaves
  // undefined, is U+0081 as browsers read it.
  CHECK(w.text == "Ren\xC3\xA9 Z\xC3\xBCrich \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D \xC2\x81");
  const Decoded i = decode(Encoding::Iso88591, latin, 5);
  REQUIRE(i.ok);
  CHECK(i.text == "Ren\xC3\xA9 Z\xC3\xBCrich \xC2\x80 \xC2\x93q\xC2\x94 \xC2\x81");
}

TEST_CASE("decoder: a single-byte encoding refuses a file that starts with a UTF-8 BOM") {
  const Decoded d = decode(Encoding::Windows1252, "\xEF\xBB\xBFmsisdn\n", 1);
  CHECK_FALSE(d.ok);
  CHECK(d.error == "it starts with a UTF-8 byte order mark, so it is UTF-8 text: remove "
                   "encoding = \"windows-1252\" (utf-8 is the default)");
}

TEST_CASE("decoder: a failed read of the input is passed on") {
  PieceBytes input(utf16(kText16, true, true), 4);
  input.failAt(8, "Input/output error");
  Utf8Decoder decoder(Encoding::Utf16, input);
  char buffer[64];
  std::ptrdiff_t n = 0;
  while ((n = decoder.read(buffer, sizeof buffer)) > 0) {
  }
  CHECK(n == -1);
  CHECK(decoder.error() == "Input/output error");
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv
