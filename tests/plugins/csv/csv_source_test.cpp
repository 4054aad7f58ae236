// SPDX-License-Identifier: Apache-2.0
// CsvSource behaviour on real files: dialects, rejects, header mapping, errors and config.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string fixture(const std::string& name) {
  return std::string(MOBISYNC_FIXTURES_DIR) + "/csv/" + name;
}

Run readFixture(const std::string& name, Config config = {}, ReaderLimits limits = {}) {
  config.strings["path"] = fixture(name);
  return runSource(config, limits);
}

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

TEST_CASE("a header without the msisdn column fails naming the column and the key and the header") {
  TempDir dir;
  Config config;
  config.strings["path"] = dir.write("people.csv", "phone,name\n0400000001,Ann\n");
  std::string where;
  SUBCASE("written in the config file") {
    config.strings["msisdn_column"] = "msisdn";
    where = "jobs.toml:7:3: msisdn_column";
  }
  SUBCASE("left at its default") { where = "msisdn_column"; }
  const Run run = runSource(config);
  CHECK(run.fetch.code() == Errc::InvalidConfig);
  CHECK(run.fetch.message() == where + ": column \"msisdn\" is not in the header of " +
                               dir.file("people.csv") + " (its columns: \"phone\", \"name\")");
  CHECK(run.sink.contacts.empty());
}

TEST_CASE("errors quote at most an excerpt of the header, however large it is") {
  TempDir dir;
  Config config;
  std::string header;
  std::string expected_list;
  std::string more = ")";
  SUBCASE("one 50 MB header cell") {
    header = std::string(50 << 20, 'x') + ",name";
    expected_list = "\"" + std::string(40, 'x') + "... (52428800 bytes)\", \"name\"";
  }
  SUBCASE("100,000 columns") {
    for (int i = 0; i < 100000; ++i) header += (i > 0 ? ",c" : "c") + std::to_string(i);
    expected_list = "\"c0\", \"c1\"";
    more = " more)";
  }
  config.strings["path"] = dir.write("wide.csv", header + "\n0400000001\n");
  const Run run = runSource(config);
  CHECK(run.fetch.code() == Errc::InvalidConfig);
  const std::string& message = run.fetch.message();
  CHECK(message.starts_with("msisdn_column: column \"msisdn\" is not in the header of " +
                            dir.file("wide.csv") + " (its columns: " + expected_list));
  CHECK(message.ends_with(more));
  MESSAGE("error of " << message.size() << " bytes: " << message);
  CHECK(message.size() < 400);
}

TEST_CASE("a column named twice is quoted as an excerpt") {
  const std::string name(1 << 20, 'n');
  const Run run = readCsv("msisdn," + name + "," + name + "\n0400000001,a,b\n");
  CHECK(run.fetch.code() == Errc::InvalidConfig);
  CHECK(run.fetch.message().find("names column \"" + std::string(200, 'n') +
                                 "... (1048576 bytes)\" twice (columns 2 and 3)") !=
        std::string::npos);
  CHECK(run.fetch.message().size() < 500);
}

TEST_CASE("msisdn_column picks another column") {
  Config config;
  config.strings["msisdn_column"] = "Mobile";
  const Run run = readCsv("Mobile,name\n0400000001,Ann\n", config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
  CHECK(run.sink.contacts[0].attributes.empty());
}

TEST_CASE("a header naming a column twice fails") {
  const Run run = readCsv("msisdn,name,city,name\n0400000001,Ann,Perth,Bob\n");
  CHECK(run.fetch.code() == Errc::InvalidConfig);
  CHECK(run.fetch.message().find("names column \"name\" twice (columns 2 and 4)") !=
        std::string::npos);
  CHECK(run.sink.contacts.empty());
}

TEST_CASE("empty header names from trailing delimiters become no attribute") {
  const Run run = readCsv("msisdn,name,,\n0400000001,Ann,,\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].attributes.empty());
}

TEST_CASE("the applications column is split and trimmed without blanks or repeats") {
  SUBCASE("default separator") {
    const Run run = readCsv("msisdn,applications\n"
                            "0400000001, contacts:42 ;; recurring:7;contacts:42 ;\n"
                            "0400000002,\n");
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    REQUIRE(run.sink.contacts.size() == 2);
    CHECK(run.sink.contacts[0].applications == Strings{"contacts:42", "recurring:7"});
    CHECK(run.sink.contacts[1].applications.empty());
    CHECK(run.sink.contacts[0].attributes.empty());
  }
  SUBCASE("configured column and separator") {
    Config config;
    config.strings["applications_column"] = "lists";
    config.strings["applications_separator"] = "|";
    const Run run = readCsv("msisdn,lists\n0400000001,\"contacts:1 | optouts:sms\"\n", config);
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    REQUIRE(run.sink.contacts.size() == 1);
    CHECK(run.sink.contacts[0].applications == Strings{"contacts:1", "optouts:sms"});
  }
  SUBCASE("no such column leaves the job's fixed list to apply") {
    const Run run = readCsv("msisdn,name\n0400000001,Ann\n");
    REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
    REQUIRE(run.sink.contacts.size() == 1);
    CHECK(run.sink.contacts[0].applications.empty());
  }
}

TEST_CASE("attributes default to every column without a role in header order") {
  const Run run = readCsv("first,msisdn,name,reference,applications,last\n"
                          "F,0400000001,Ann,R1,contacts:1,L\n");
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].attributes == Attributes{{"first", "F"}, {"last", "L"}});
}

TEST_CASE("configured attributes keep only those columns in configured order") {
  Config config;
  config.lists["attributes"] = {"suburb", "first"};
  const Run run = readCsv("msisdn,first,suburb,secret\n0400000001,Ann,Paddington,x\n", config);
  REQUIRE_MESSAGE(run.fetch.isOk(), run.fetch.message());
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].attributes ==
        Attributes{{"suburb", "Paddington"}, {"first", "Ann"}});
}

TEST_CASE("a configured attribute missing from the header fails the fetch") {
  TempDir dir;
  Config config;
  config.strings["path"] = dir.write("c.csv", "msisdn,first\n0400000001,Ann\n");
  config.lists["attributes"] = {"first", "suburb"};
  const Run run = runSource(config);
  CHECK(run.fetch.code() == Errc::InvalidConfig);
  CHECK(run.fetch.message() == "jobs.toml:7:3: attributes: column \"suburb\" is not in the "
                               "header of " + dir.file("c.csv") +
                               " (its columns: \"msisdn\", \"first\")");
  CHECK(run.sink.contacts.empty());
}

TEST_CASE("an unterminated quote rejects the rest of the file and fails the fetch") {
  const Run run = readCsv("msisdn,name\n0400000001,Ann\n0400000002,\"Bob\n0400000003,Cy\n");
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message().ends_with(
      "contacts.csv: unterminated quoted field starting at line 3; the file may be truncated"));
  REQUIRE(run.sink.contacts.size() == 1);
  CHECK(run.sink.contacts[0].msisdn == "0400000001");
  REQUIRE(run.sink.rejects.size() == 1);
  CHECK(run.sink.rejects[0].position == "contacts.csv:3");
  CHECK(run.sink.rejects[0].raw == "0400000002,\"Bob\n0400000003,Cy");
  CHECK(run.sink.rejects[0].reason == "unterminated quoted field");
}

TEST_CASE("a record longer than the limit fails the fetch instead of filling memory") {
  ReaderLimits limits;
  limits.chunk_size = 16;
  limits.max_record_bytes = 64;
  const Run run = readCsv("msisdn,name\n0400000001,Ann\n0400000002,\"" + std::string(200, 'x') +
                              "\"\n",
                          {}, limits);
  CHECK(run.fetch.code() == Errc::Io);
  CHECK(run.fetch.message().ends_with("contacts.csv: the record starting at line 3 is longer "
                                      "than 64 bytes; is a quote left open?"));
  CHECK(run.sink.contacts.size() == 1);
}

TEST_CASE("a failed accept stops the fetch and is returned as is") {
  TempDir dir;
  Config config;
  config.strings["path"] = dir.write("c.csv", "msisdn\n1\n2\n3\n4\n");
  const Run run = runSource(config, {}, 2);
  CHECK(run.fetch.code() == Errc::Unavailable);
  CHECK(run.fetch.message() == "sink full");
  CHECK(run.sink.contacts.size() == 2);
}

TEST_CASE("init checks the configuration and names the key where it was written") {
  Config config;
  config.strings["path"] = "/nonexistent/contacts.csv";
  std::string expected;
  SUBCASE("delimiter of two characters") {
    config.strings["delimiter"] = ";;";
    expected = "jobs.toml:7:3: delimiter: must be a single ASCII character other than a line "
               "break, got \";;\"";
  }
  SUBCASE("empty delimiter") {
    config.strings["delimiter"] = "";
    expected = "jobs.toml:7:3: delimiter: must be a single ASCII character other than a line "
               "break, got \"\"";
  }
  SUBCASE("non-ASCII delimiter") {
    config.strings["delimiter"] = "\xC2\xA7";
    expected = "jobs.toml:7:3: delimiter: must be a single ASCII character other than a line "
               "break, got \"\xC2\xA7\"";
  }
  SUBCASE("quote equal to the delimiter") {
    config.strings["quote"] = ",";
    expected = "jobs.toml:7:3: quote: must differ from delimiter, both are \",\"";
  }
  SUBCASE("newline as quote") {
    config.strings["quote"] = "\n";
    // Quoted values show control characters as '?', so a message stays on one line.
    expected = "jobs.toml:7:3: quote: must be a single ASCII character other than a line break, "
               "or empty for no quoting, got \"?\"";
  }
  SUBCASE("unknown encoding") {
    config.strings["encoding"] = "utf-32";
    expected = "jobs.toml:7:3: encoding: must be \"utf-8\", \"windows-1252\", \"iso-8859-1\" "
               "or \"utf-16\", got \"utf-32\"";
  }
  SUBCASE("empty msisdn_column") {
    config.strings["msisdn_column"] = "";
    expected = "jobs.toml:7:3: msisdn_column: must name the column that holds phone numbers";
  }
  SUBCASE("empty applications_separator") {
    config.strings["applications_separator"] = "";
    expected = "jobs.toml:7:3: applications_separator: must not be empty";
  }
  SUBCASE("attribute listed twice") {
    config.lists["attributes"] = {"city", "city"};
    expected = "jobs.toml:7:3: attributes: lists column \"city\" twice";
  }
  SUBCASE("no path") {
    config.strings.erase("path");
    expected = "path: is required (the CSV file to read)";
  }
  const Run run = runSource(config);
  CHECK(run.init.code() == Errc::InvalidConfig);
  CHECK(run.init.message() == expected);
}

TEST_CASE("fetch without a successful init fails instead of reading") {
  CsvSource source;
  RecordingSink sink;
  const Status status = source.fetch(sink);
  CHECK(status.code() == Errc::Internal);
  CHECK(sink.contacts.empty());
}

TEST_CASE("each fetch reads the file afresh") {
  TempDir dir;
  Config config;
  config.strings["path"] = dir.write("c.csv", "msisdn\n1\n");
  const plugin::testing::TestContext context(config.values(), "csv", "test");
  CsvSource source;
  REQUIRE(source.init(context).isOk());
  RecordingSink first;
  REQUIRE(source.fetch(first).isOk());
  dir.write("c.csv", "msisdn\n1\n2\n");
  RecordingSink second;
  REQUIRE(source.fetch(second).isOk());
  source.shutdown();
  CHECK(first.contacts.size() == 1);
  CHECK(second.contacts.size() == 2);
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv::test
