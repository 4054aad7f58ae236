// SPDX-License-Identifier: Apache-2.0
// CsvSource::probe() for `check --connect`: the file is there, regular and readable; nothing is
// parsed, nothing is written.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "csv_test_util.hpp"

namespace {

using mobisync::plugin::ProbeResult;
using mobisync::plugins::csv::CsvSource;
using mobisync::plugins::csv::test::Config;
using mobisync::plugins::csv::test::TempDir;

/// init() with `path`, then probe(), then shutdown(), as the host does.
std::vector<ProbeResult> probe(const std::string& path) {
  Config config;
  config.strings["path"] = path;
  const auto values = config.values();
  const mobisync::plugin::testing::TestContext context(values, "csv", "people");
  CsvSource source;
  REQUIRE(source.init(context).isOk());
  std::vector<ProbeResult> results = source.probe();
  source.shutdown();
  return results;
}

}  // namespace

TEST_SUITE("plugin.csv") {
  TEST_CASE("probe: a readable file is ok, its rows unread and the file unchanged") {
    TempDir dir;
    const std::string bytes = "msisdn,name\n\"07930 000001,Ann\n";  // broken, but not parsed
    const std::string path = dir.write("people.csv", bytes);
    const auto results = probe(path);
    REQUIRE(results.size() == 1);
    CHECK(results[0].verdict == ProbeResult::Verdict::Ok);
    CHECK(results[0].endpoint == "file " + path);
    CHECK(results[0].detail == "readable");
    CHECK(std::filesystem::file_size(path) == bytes.size());
    CHECK(probe(dir.write("empty.csv", ""))[0].detail == "readable, but empty");
  }

  TEST_CASE("probe: a missing file or a directory is unreachable, named in the detail") {
    TempDir dir;
    const auto missing = probe(dir.file("missing.csv"));
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].verdict == ProbeResult::Verdict::Unreachable);
    CHECK(missing[0].detail == "csv: " + dir.file("missing.csv") + " does not exist");
    std::filesystem::create_directory(dir.file("folder.csv"));
    const auto folder = probe(dir.file("folder.csv"));
    CHECK(folder[0].verdict == ProbeResult::Verdict::Unreachable);
    CHECK(folder[0].detail.find("is not a regular file") != std::string::npos);
  }
}
