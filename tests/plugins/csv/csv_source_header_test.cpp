// SPDX-License-Identifier: Apache-2.0
// CsvSource behaviour on real files: header mapping, applications, attributes, fetch errors
// and config.
#include <doctest/doctest.h>

#include "csv_source_fixture.hpp"

namespace mobisync::plugins::csv::test {

using namespace csv_source_fixture;

TEST_SUITE("plugin.csv") {
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

}  // namespace mobisync::plugins::csv::test
