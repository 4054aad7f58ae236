// SPDX-License-Identifier: Apache-2.0
// RecordReader on its own: RFC 4180 edge cases and records split across read boundaries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace {

struct Parsed {
  std::vector<std::string> fields;
  std::string raw;
  std::uint64_t line = 0;
  bool ended = true;
  bool operator==(const Parsed&) const = default;
};

// Collects every record; `last` receives how the input ended.
std::vector<Parsed> readAll(RecordReader& reader, RecordReader::Next& last) {
  std::vector<Parsed> out;
  while ((last = reader.next()) == RecordReader::Next::Record) {
    const Record& r = reader.record();
    out.push_back(Parsed{std::vector<std::string>(r.fields.begin(), r.fields.end()),
                         std::string(r.raw), r.line, r.ended});
  }
  return out;
}

std::vector<Parsed> parse(const std::string& text, Dialect dialect = {}) {
  RecordReader reader(dialect);
  reader.openBuffer(text);
  RecordReader::Next last{};
  std::vector<Parsed> out = readAll(reader, last);
  REQUIRE(last == RecordReader::Next::End);
  return out;
}

using Fields = std::vector<std::string>;

TEST_SUITE("plugin.csv") {

TEST_CASE("reader: simple records give their fields and raw text and start lines") {
  const auto records = parse("a,b,c\n1,,3\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0] == Parsed{Fields{"a", "b", "c"}, "a,b,c", 1});
  CHECK(records[1] == Parsed{Fields{"1", "", "3"}, "1,,3", 2});
}

TEST_CASE("reader: a trailing delimiter makes an empty last field") {
  const auto records = parse("a,b,\n,\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"a", "b", ""});
  CHECK(records[1].fields == Fields{"", ""});
}

TEST_CASE("reader: quoted fields hold doubled quotes and delimiters and both newline kinds") {
  const auto records = parse("\"a,1\",\"say \"\"hi\"\"\",\"x\r\ny\nz\"\r\nnext,\"\"\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"a,1", "say \"hi\"", "x\r\ny\nz"});
  CHECK(records[0].raw == "\"a,1\",\"say \"\"hi\"\"\",\"x\r\ny\nz\"");
  CHECK(records[0].line == 1);
  CHECK(records[1] == Parsed{Fields{"next", ""}, "next,\"\"", 4});
}

TEST_CASE("reader: text after a closing quote is kept and a quote inside a bare field is text") {
  const auto records = parse("\"ab\"c,d\"e\"\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{"abc", "d\"e\""});
}

TEST_CASE("reader: a lone CR is data while CRLF ends the record") {
  const auto records = parse("a\rb,c\r\nd\r");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"a\rb", "c"});
  CHECK(records[0].raw == "a\rb,c");
  CHECK(records[1].fields == Fields{"d"});
  CHECK(records[1].line == 2);
  CHECK(records[0].ended);
  CHECK_FALSE(records[1].ended);  // a CR without its LF: the input stopped mid line ending
}

TEST_CASE("reader: a BOM is dropped only at the very start") {
  const auto records = parse("\xEF\xBB\xBFh\n\xEF\xBB\xBFv\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"h"});
  CHECK(records[1].fields == Fields{"\xEF\xBB\xBFv"});
}

TEST_CASE("reader: blank lines (also CRLF ones) are skipped but counted") {
  const auto records = parse("\n\r\na\n\n\nb");
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 3);
  CHECK(records[1].line == 6);
}

TEST_CASE("reader: an unterminated quote returns the rest of the input without its newline") {
  RecordReader reader(Dialect{});
  reader.openBuffer("a\n\"b\nc\r\n");
  RecordReader::Next last{};
  const auto records = readAll(reader, last);
  CHECK(records.size() == 1);
  CHECK(last == RecordReader::Next::Unterminated);
  CHECK(reader.record().raw == "\"b\nc");
  CHECK(reader.record().line == 2);
}

TEST_CASE("reader: every chunk size yields the same records from a file") {
  // Small chunks put every kind of boundary (inside quotes, between a doubled quote, between
  // CR and LF, inside the BOM) at the end of some read.
  const std::string text =
      "\xEF\xBB\xBFmsisdn,name,note\r\n"
      "0400000001,\"Smith, Ann\",\"said \"\"hi\"\"\"\r\n"
      "\r\n"
      "0400000002,\"multi\r\nline\nname\",plain\n"
      "0400000003,\"\",\"\"\"\"\n"
      "0400000004,last,\"x\"";
  TempDir dir;
  const std::string path = dir.write("chunks.csv", text);

  const std::vector<Parsed> expected = parse(text);
  REQUIRE(expected.size() == 5);
  CHECK(expected[0].fields == Fields{"msisdn", "name", "note"});
  CHECK(expected[1].fields == Fields{"0400000001", "Smith, Ann", "said \"hi\""});
  CHECK(expected[2].fields == Fields{"0400000002", "multi\r\nline\nname", "plain"});
  CHECK(expected[2].line == 4);
  CHECK(expected[3].fields == Fields{"0400000003", "", "\""});
  CHECK(expected[3].line == 7);
  CHECK(expected[4].fields == Fields{"0400000004", "last", "x"});
  CHECK(expected[3].ended);
  CHECK_FALSE(expected[4].ended);  // the input ends without a line break

  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    CAPTURE(chunk);
    RecordReader reader(Dialect{}, ReaderLimits{chunk, 1024});
    REQUIRE(reader.open(path));
    RecordReader::Next last{};
    CHECK(readAll(reader, last) == expected);
    CHECK(last == RecordReader::Next::End);
  }
}

TEST_CASE("reader: a missing file reports the system's reason") {
  RecordReader reader(Dialect{});
  CHECK_FALSE(reader.open("/nonexistent/mobisync/x.csv"));
  CHECK(reader.error() == "No such file or directory");
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv::test
