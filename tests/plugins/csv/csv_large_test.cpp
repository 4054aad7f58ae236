// SPDX-License-Identifier: Apache-2.0
// CsvSource on files larger than one read: chunk boundaries and a 200,000-row file.
#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace {

std::string msisdnFor(std::size_t i) {
  std::string digits = std::to_string(i);
  return "04" + std::string(8 - digits.size(), '0') + digits;
}

TEST_SUITE("plugin.csv") {

TEST_CASE("a quoted record across the 1 MiB read boundary is read whole with the right line") {
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::string text = "msisdn,name\n";
  std::size_t rows = 0;
  // Fill until the next record would start a few bytes before the boundary, then write one
  // whose quoted name (with a CRLF inside) crosses it.
  while (text.size() < kChunk - 40) {
    ++rows;
    text += msisdnFor(rows) + ",Filler " + std::to_string(rows) + "\n";
  }
  const std::size_t straddle_line = rows + 2;
  const std::size_t straddle_at = text.size();
  text += "0499999999,\"Across\r\nthe \"\"boundary\"\", for sure\"\n";
  text += "0499999998,After\n";
  REQUIRE(straddle_at < kChunk);
  REQUIRE(text.size() > kChunk);

  const Run run = readCsv(text);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == rows + 2);
  const Contact& across = run.sink.contacts[rows];
  CHECK(across.msisdn == "0499999999");
  CHECK(across.name == "Across\r\nthe \"boundary\", for sure");
  CHECK(across.position == "contacts.csv:" + std::to_string(straddle_line));
  CHECK(run.sink.contacts[rows + 1].position ==
        "contacts.csv:" + std::to_string(straddle_line + 2));
}

TEST_CASE("every small chunk size yields the same contacts and rejects") {
  const std::string text =
      "\xEF\xBB\xBFmsisdn,name,applications\r\n"
      "0400000001,\"Ann \"\"A\"\"\",contacts:1;recurring:2\r\n"
      "0400000002,\"Bob\r\nB\",\r\n"
      "0400000003,too,many,fields\r\n"
      "0400000004,Dee,contacts:1\r\n";
  const Run reference = readCsv(text);
  REQUIRE(reference.fetch.isOk());
  REQUIRE(reference.sink.contacts.size() == 3);
  REQUIRE(reference.sink.rejects.size() == 1);
  CHECK(reference.sink.contacts[2].position == "contacts.csv:6");

  for (std::size_t chunk = 1; chunk <= 48; ++chunk) {
    CAPTURE(chunk);
    const Run run = readCsv(text, {}, ReaderLimits{chunk, 4096});
    REQUIRE(run.fetch.isOk());
    REQUIRE(run.sink.contacts.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(run.sink.contacts[i].msisdn == reference.sink.contacts[i].msisdn);
      CHECK(run.sink.contacts[i].name == reference.sink.contacts[i].name);
      CHECK(run.sink.contacts[i].applications == reference.sink.contacts[i].applications);
      CHECK(run.sink.contacts[i].position == reference.sink.contacts[i].position);
    }
    REQUIRE(run.sink.rejects.size() == 1);
    CHECK(run.sink.rejects[0].raw == "0400000003,too,many,fields");
    CHECK(run.sink.rejects[0].position == "contacts.csv:5");
  }
}

TEST_CASE("a generated file of 200000 rows is read completely") {
  constexpr std::size_t kRows = 200000;
  std::string text = "msisdn,name,reference,applications\n";
  text.reserve(kRows * 60);
  for (std::size_t i = 1; i <= kRows; ++i) {
    const std::string n = std::to_string(i);
    text.append(msisdnFor(i)).append(",\"Person ").append(n).append("\",REF-").append(n);
    text.append(",contacts:42;recurring:").append(std::to_string(i % 7)).append("\n");
  }
  TempDir dir;
  Config config;
  config.strings["path"] = dir.write("big.csv", text);

  // Checks each contact as it arrives instead of keeping 200,000 of them.
  RecordingSink sink;
  sink.keep_contacts = false;
  std::size_t in_order = 0;
  Contact first;
  Contact last;
  sink.on_accept = [&](const Contact& contact) {
    in_order += contact.msisdn == msisdnFor(sink.accepted) ? 1 : 0;
    (sink.accepted == 1 ? first : last) = contact;
    return Status::ok();
  };

  const plugin::testing::TestContext context(config.values(), "csv", "test");
  CsvSource source;
  REQUIRE(source.init(context).isOk());
  const Status status = source.fetch(sink);
  source.shutdown();

  REQUIRE_MESSAGE(status.isOk(), status.message());
  CHECK(sink.rejects.empty());
  CHECK(sink.accepted == kRows);
  CHECK(in_order == kRows);
  CHECK(first.msisdn == "0400000001");
  CHECK(first.name == "Person 1");
  CHECK(first.reference == "REF-1");
  CHECK(first.applications == std::vector<std::string>{"contacts:42", "recurring:1"});
  CHECK(first.position == "big.csv:2");
  CHECK(last.msisdn == "0400200000");
  CHECK(last.name == "Person 200000");
  CHECK(last.reference == "REF-200000");
  CHECK(last.applications == std::vector<std::string>{"contacts:42", "recurring:3"});
  CHECK(last.position == "big.csv:200001");
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv::test
