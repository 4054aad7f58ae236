// SPDX-License-Identifier: Apache-2.0
// CsvSource behaviour on real files: dialects, rejects, blank rows, empty and missing files.
#include <doctest/doctest.h>

#include "csv_source_fixture.hpp"

namespace mobisync::plugins::csv::test {

using namespace csv_source_fixture;

TEST_SUITE("plugin.csv") {
TEST_CASE("quoted fields keep delimiters and doubled quotes and newlines with physical positions") {
  const Run run = readFixture("quoted.csv");
  REQUIRE(run.init.isOk());
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == 4);

  const Contact& ann = run.sink.contacts[0];
  CHECK(ann.msisdn == "+61 400 000 001");
  CHECK(ann.name == "Smith, Ann");
  CHECK(ann.reference == "R1");
  CHECK(ann.applications == Strings{"contacts:42", "appointments"});
  CHECK(ann.attributes == Attributes{{"city", "Sydney"}});
  CHECK(ann.position == "quoted.csv:2");

  CHECK(run.sink.contacts[1].name == "Bob \"The Builder\" Jones");
  CHECK(run.sink.contacts[1].applications.empty());
  CHECK(run.sink.contacts[1].position == "quoted.csv:3");

  CHECK(run.sink.contacts[2].name == "Line one\nline two");
  CHECK(run.sink.contacts[2].position == "quoted.csv:4");
  // The record after one with an embedded newline starts a line later than its index suggests.
  CHECK(run.sink.contacts[3].position == "quoted.csv:6");
  CHECK(run.sink.contacts[3].attributes == Attributes{{"city", "Darwin"}});
}

TEST_CASE("CRLF endings and a BOM never reach the values") {
  // The fixture's last line has no line break, which is a cut read (see the next case); with
  // its CRLF the same text is a complete file.
  TempDir dir;
  Config config;
  config.strings["path"] =
      dir.write("crlf_bom.csv", slurp(fixture("crlf_bom_no_final_newline.csv")) + "\r\n");
  const Run run = runSource(config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == 3);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
  CHECK(run.sink.contacts[0].name == "Ann");
  CHECK(run.sink.contacts[0].position == "crlf_bom.csv:2");
  // Inside quotes a CRLF is data, kept as written.
  CHECK(run.sink.contacts[1].name == "Two\r\nLines");
  CHECK(run.sink.contacts[1].position == "crlf_bom.csv:3");
  CHECK(run.sink.contacts[2].name == "Cy");
  CHECK(run.sink.contacts[2].position == "crlf_bom.csv:5");
}

TEST_CASE("a last line without its line break fails the read: the file may still be written") {
  const Run run = readFixture("crlf_bom_no_final_newline.csv");
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message().ends_with(
      "crlf_bom_no_final_newline.csv: the last record (line 5) ends without a line break, so the "
      "read is incomplete: the file may still be being written; run again once it is complete (a "
      "complete file ends its last row with a line break: add one if a tool left it out)"));
  CHECK(run.sink.contacts.size() == 2);
}

TEST_CASE("a custom delimiter and quote character are honoured") {
  Config config;
  config.strings["delimiter"] = ";";
  config.strings["quote"] = "'";
  const Run run = readFixture("semicolon_single_quote.csv", config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 2);
  CHECK(run.sink.contacts[0].msisdn == "0400 000 001");
  CHECK(run.sink.contacts[0].name == "O'Brien; Pat");
  CHECK(run.sink.contacts[0].attributes == Attributes{{"note", "a;b"}});
  CHECK(run.sink.contacts[1].name == "Kim");
}

TEST_CASE("an empty quote setting reads quote characters as text") {
  Config config;
  config.strings["quote"] = "";
  const Run run = readCsv("msisdn,name\n\"0400000001\",5'10\"\n", config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "\"0400000001\"");
  CHECK(run.sink.contacts[0].name == "5'10\"");
}

TEST_CASE("ragged rows are rejected with expected and found counts while other rows are kept") {
  const Run run = readCsv("msisdn,name,reference\n"
                          "0400000001,Ann,R1\n"
                          "0400000002,Bob\n"
                          "0400000003,Cy,R3,extra\n"
                          "0400000004,Dee,R4\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 2);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
  CHECK(run.sink.contacts[1].msisdn == "0400000004");
  REQUIRE(run.sink.rejects.size() == 2);
  CHECK(run.sink.rejects[0].position == "contacts.csv:3");
  CHECK(run.sink.rejects[0].raw == "0400000002,Bob");
  CHECK(run.sink.rejects[0].reason == "expected 3 fields, found 2");
  CHECK(run.sink.rejects[1].position == "contacts.csv:4");
  CHECK(run.sink.rejects[1].raw == "0400000003,Cy,R3,extra");
  CHECK(run.sink.rejects[1].reason == "expected 3 fields, found 4");
  // The msisdn column comes first, so a shift can only have moved cells after it.
  CHECK(run.sink.number_cells[0] == Strings{"0400000002"});
  CHECK(run.sink.number_cells[1] == Strings{"0400000003", "Cy"});
}

TEST_CASE("a row with a stray or missing delimiter hands over every cell its number may be in") {
  SUBCASE("an unquoted comma in a name before the number") {
    const Run run = readCsv("name,msisdn,reference,city\n"
                            "Smith, John,0400000001,R1,Perth\n"
                            "Ann,0400000002,R2,Hobart\n");
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    REQUIRE(run.sink.contacts.size() == 1);
    REQUIRE(run.sink.rejects.size() == 1);
    CHECK(run.sink.rejects[0].reason == "expected 4 fields, found 5");
    CHECK(run.sink.rejects[0].raw == "Smith, John,0400000001,R1,Perth");
    CHECK(run.sink.number_cells[0] == Strings{"John", "0400000001"});
  }
  SUBCASE("two fields too many around a number in the middle") {
    const Run run = readCsv("a,b,msisdn,c\nx,y,z,0400000001,w,v\n");
    REQUIRE(run.sink.rejects.size() == 1);
    CHECK(run.sink.number_cells[0] == Strings{"z", "0400000001", "w"});
  }
  SUBCASE("fields missing before the number") {
    const Run run = readCsv("a,b,msisdn,c\nx,0400000001\n");
    REQUIRE(run.sink.rejects.size() == 1);
    CHECK(run.sink.rejects[0].reason == "expected 4 fields, found 2");
    // The number's cell (index 2) may have moved left by up to two: cells 0 and 1.
    CHECK(run.sink.number_cells[0] == Strings{"x", "0400000001"});
  }
  SUBCASE("blank and invalid cells are left out, and none left means a plain reject") {
    const Run run = readCsv("name,msisdn,reference\n"
                            "Smith, ,R1,x\n"
                            "Smith,\xFF,,x\n");
    REQUIRE(run.sink.rejects.size() == 2);
    CHECK(run.sink.number_cells[0] == Strings{"R1"});
    CHECK(run.sink.number_cells[1].empty());
  }
}

TEST_CASE("a row with invalid UTF-8 is rejected naming line, column and field, keeping its number") {
  const Run run = readFixture("invalid_utf8.csv");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 2);
  CHECK(run.sink.contacts[0].name == "Zo\xC3\xAB");
  CHECK(run.sink.contacts[1].name == "Ok");
  REQUIRE(run.sink.rejects.size() == 1);
  CHECK(run.sink.rejects[0].position == "invalid_utf8.csv:3");
  CHECK(run.sink.rejects[0].raw == "0400000002,Bad\xFF");
  CHECK(run.sink.rejects[0].reason ==
        "invalid UTF-8 at line 3, column 15 (byte 0xFF in field \"name\"); if the file is not "
        "UTF-8, set encoding = \"windows-1252\"");
  // The number cell reads, so the engine can keep the contact's subscriptions.
  CHECK(run.sink.number_cells[0] == Strings{"0400000002"});
}

TEST_CASE("a row whose msisdn cell is blank is rejected") {
  const Run run = readCsv("msisdn,name\n  ,Ann\n\"\",Bob\n0400000003,Cy\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000003");
  REQUIRE(run.sink.rejects.size() == 2);
  CHECK(run.sink.rejects[0].reason == "msisdn is empty (column \"msisdn\")");
  CHECK(run.sink.rejects[0].raw == "  ,Ann");
  CHECK(run.sink.rejects[1].position == "contacts.csv:3");
}

TEST_CASE("blank lines are skipped and still counted in positions") {
  const Run run = readCsv("\nmsisdn,name\n\n0400000001,Ann\r\n\r\n\n0400000002,Bob\n\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == 2);
  CHECK(run.sink.contacts[0].position == "contacts.csv:4");
  CHECK(run.sink.contacts[1].position == "contacts.csv:7");
}

TEST_CASE("rows of bare delimiters (spreadsheet padding) are skipped like blank lines") {
  const Run run = readCsv("msisdn,name,city\n0400000001,Ann,Perth\n,,\n,\n,,,,\n\"\",,\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  CHECK(run.sink.rejects.empty());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
}

TEST_CASE("cells are trimmed for roles but kept verbatim as attributes") {
  const Run run = readCsv("msisdn , name,city\n 0400000001 ,  Ann  , Perth \n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
  CHECK(run.sink.contacts[0].name == "Ann");
  CHECK(run.sink.contacts[0].attributes == Attributes{{"city", " Perth "}});
}

TEST_CASE("an empty file fails: it must never read as a source where everyone left") {
  SUBCASE("zero bytes") {
    const Run run = readCsv("");
    CHECK(run.fetch.code() == Errc::Io);
    CHECK(run.fetch.message().ends_with("contacts.csv is empty: no header row"));
    CHECK(run.sink.contacts.empty());
  }
  SUBCASE("only a BOM and blank lines") {
    const Run run = readCsv("\xEF\xBB\xBF\r\n\n");
    CHECK(run.fetch.code() == Errc::Io);
    CHECK(run.fetch.message().ends_with("contacts.csv is empty: no header row"));
  }
}

TEST_CASE("a header-only file is a complete read of zero contacts") {
  const Run run = readCsv("msisdn,name\n");
  CHECK(run.fetch.isOk());
  CHECK(run.sink.contacts.empty());
  CHECK(run.sink.rejects.empty());
}

TEST_CASE("a missing file fails with the path and the system's reason") {
  TempDir dir;
  Config config;
  config.strings["path"] = dir.file("absent.csv");
  const Run run = runSource(config);
  REQUIRE(run.init.isOk());  // init opens nothing
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message() ==
        "csv: cannot open " + dir.file("absent.csv") + ": No such file or directory");
}
}  // TEST_SUITE

}  // namespace mobisync::plugins::csv::test
