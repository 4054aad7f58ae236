// SPDX-License-Identifier: Apache-2.0
// CsvSource with the encoding key: text in other encodings becomes UTF-8 contacts, and text
// that is not valid in the file's encoding rejects its row, naming line and column.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace {

using Strings = std::vector<std::string>;

std::string utf16(const std::u16string& text, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (const char16_t u : text) {
    const char hi = static_cast<char>(u >> 8);
    const char lo = static_cast<char>(u & 0xFF);
    out += little_endian ? lo : hi;
    out += little_endian ? hi : lo;
  }
  return out;
}

Config withEncoding(const std::string& encoding) {
  Config config;
  config.strings["encoding"] = encoding;
  return config;
}

TEST_SUITE("plugin.csv") {

TEST_CASE("encoding = windows-1252 reads a Latin-1 name as written") {
  const Run run = readCsv("msisdn,name,city\n"
                          "0400000001,Ren\xE9,Z\xFCrich\n"
                          "0400000002,\x93" "Bo\x94 \x80,x\n",
                          withEncoding("windows-1252"));
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == 2);
  CHECK(run.sink.contacts[0].name == "Ren\xC3\xA9");
  CHECK(run.sink.contacts[0].attributes ==
        std::vector<std::pair<std::string, std::string>>{{"city", "Z\xC3\xBCrich"}});
  CHECK(run.sink.contacts[1].name == "\xE2\x80\x9C" "Bo\xE2\x80\x9D \xE2\x82\xAC");
  CHECK(run.sink.contacts[1].position == "contacts.csv:3");
}

TEST_CASE("encoding = iso-8859-1 maps each byte to the code point of its value") {
  const Run run = readCsv("msisdn,name\n0400000001,Ren\xE9 \x80\n", withEncoding("iso-8859-1"));
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].name == "Ren\xC3\xA9 \xC2\x80");
}

TEST_CASE("in utf-8 mode a Latin-1 byte rejects its row naming line and column, keeping the number") {
  const Run run = readCsv("msisdn,name\n"
                          "0400000001,Ren\xE9\n"
                          "\xE9\xE9,Ann\n"
                          "0400000003,\"Zo\xC3\xAB\n"
                          "\xC3\xABnd \xE9\"\n"
                          "0400000004,Ok\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000004");
  REQUIRE(run.sink.rejects.size() == 3);

  CHECK(run.sink.rejects[0].position == "contacts.csv:2");
  CHECK(run.sink.rejects[0].reason ==
        "invalid UTF-8 at line 2, column 15 (byte 0xE9 in field \"name\"); if the file is not "
        "UTF-8, set encoding = \"windows-1252\"");
  CHECK(run.sink.number_cells[0] == Strings{"0400000001"});

  // The number cell itself is unreadable: nothing to protect, a plain reject.
  CHECK(run.sink.rejects[1].reason ==
        "invalid UTF-8 at line 3, column 1 (byte 0xE9 in field \"msisdn\"); if the file is not "
        "UTF-8, set encoding = \"windows-1252\"");
  CHECK(run.sink.number_cells[1].empty());

  // A quoted name over two lines: the bad byte is on the record's second line, after a
  // two-byte character that counts as one column.
  CHECK(run.sink.rejects[2].position == "contacts.csv:4");
  CHECK(run.sink.rejects[2].reason ==
        "invalid UTF-8 at line 5, column 5 (byte 0xE9 in field \"name\"); if the file is not "
        "UTF-8, set encoding = \"windows-1252\"");
  CHECK(run.sink.number_cells[2] == Strings{"0400000003"});
}

TEST_CASE("encoding = utf-16 reads either byte order from the BOM, at every chunk size") {
  const std::u16string text =
      u"msisdn,name\r\n0400000001,Ren\u00E9\r\n\r\n0400000002,\"Zo\u00EB \U0001F4F1\r\nB\"\r\n"
      u"0400000003,\u4E2D\u6587\r\n";
  for (const bool little : {true, false}) {
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{1} << 20}) {
      CAPTURE(little);
      CAPTURE(chunk);
      const Run run = readCsv(utf16(text, little), withEncoding("utf-16"), {chunk, 4096});
      REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
      CHECK(run.sink.rejects.empty());
      REQUIRE(run.sink.contacts.size() == 3);
      CHECK(run.sink.contacts[0].msisdn == "0400000001");
      CHECK(run.sink.contacts[0].name == "Ren\xC3\xA9");
      CHECK(run.sink.contacts[1].name == "Zo\xC3\xAB \xF0\x9F\x93\xB1\r\nB");
      CHECK(run.sink.contacts[1].position == "contacts.csv:4");
      CHECK(run.sink.contacts[2].name == "\xE4\xB8\xAD\xE6\x96\x87");
      CHECK(run.sink.contacts[2].position == "contacts.csv:6");
    }
  }
}

TEST_CASE("encoding = utf-16: an unpaired surrogate rejects its row and the read goes on") {
  const Run run = readCsv(
      utf16(u"msisdn,name\n0400000001,Ann\xD800\n0400000002,Bob\n", true), withEncoding("utf-16"));
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].name == "Bob");
  REQUIRE(run.sink.rejects.size() == 1);
  CHECK(run.sink.rejects[0].reason ==
        "text that is not valid utf-16 at line 2, column 15 (in field \"name\"); check the "
        "source's encoding key");
  CHECK(run.sink.number_cells[0] == Strings{"0400000001"});
}

TEST_CASE("encoding = utf-16: a file cut inside a character is an incomplete read") {
  const std::string bytes = utf16(u"msisdn,name\n0400000001,Ann\n", true);
  const Run run = readCsv(bytes.substr(0, bytes.size() - 1), withEncoding("utf-16"));
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message().find("ends without a line break") != std::string::npos);
}

TEST_CASE("a file in the wrong encoding fails with the encoding to set") {
  SUBCASE("UTF-16 read as utf-8") {
    const Run run = readCsv(utf16(u"msisdn,name\n0400000001,Ann\n", true));
    CHECK(run.fetch.code() == Errc::Io);
    CHECK(run.fetch.message().ends_with(
        "contacts.csv starts with a UTF-16 byte order mark, so it is UTF-16 text (as "
        "spreadsheets save \"Unicode text\"): set encoding = \"utf-16\""));
  }
  SUBCASE("UTF-8 with a BOM read as windows-1252") {
    const Run run =
        readCsv("\xEF\xBB\xBFmsisdn,name\n0400000001,Ren\xC3\xA9\n", withEncoding("windows-1252"));
    CHECK(run.fetch.code() == Errc::Io);
    CHECK(run.fetch.message().ends_with(
        "contacts.csv: it starts with a UTF-8 byte order mark, so it is UTF-8 text: remove "
        "encoding = \"windows-1252\" (utf-8 is the default)"));
  }
  SUBCASE("a Latin-1 header read as utf-8") {
    const Run run = readCsv("msisdn,pr\xE9nom\n0400000001,Ann\n");
    CHECK(run.fetch.code() == Errc::Io);
    CHECK(run.fetch.message().ends_with(
        "contacts.csv: the header row has invalid UTF-8 at line 1, column 10 (byte 0xE9 in field "
        "2); if the file is not UTF-8, set encoding = \"windows-1252\""));
  }
}

TEST_CASE("a UTF-8 BOM is skipped in utf-8 mode, which is the default") {
  for (const std::string encoding : {"", "utf-8", "UTF-8"}) {
    Config config;
    if (!encoding.empty()) config.strings["encoding"] = encoding;
    const Run run = readCsv("\xEF\xBB\xBFmsisdn,name\n0400000001,Ren\xC3\xA9\n", config);
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    REQUIRE(run.sink.contacts.size() == 1);
    CHECK(run.sink.contacts[0].msisdn == "0400000001");
    CHECK(run.sink.contacts[0].name == "Ren\xC3\xA9");
  }
}

TEST_CASE("a large windows-1252 file is decoded across every buffer") {
  constexpr std::size_t kRows = 60000;
  std::string text = "msisdn,name\n";
  for (std::size_t i = 0; i < kRows; ++i) {
    text += "04" + std::to_string(10000000 + i) + ",\"Ren\xE9 " + std::to_string(i) + "\"\n";
  }
  TempDir dir;
  Config config = withEncoding("windows-1252");
  config.strings["path"] = dir.write("big.csv", text);
  const Run run = runSource(config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == kRows);
  std::size_t right = 0;
  for (std::size_t i = 0; i < kRows; ++i) {
    right += run.sink.contacts[i].name == "Ren\xC3\xA9 " + std::to_string(i) ? 1 : 0;
  }
  CHECK(right == kRows);
  CHECK(run.sink.contacts.back().position == "big.csv:" + std::to_string(kRows + 1));
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv::test
