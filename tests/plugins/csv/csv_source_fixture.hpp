// SPDX-License-Identifier: Apache-2.0
// CsvSource tests' shared helpers: reading a fixture file through the source.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "csv_test_util.hpp"

namespace mobisync::plugins::csv::test {
namespace csv_source_fixture {

using Attributes = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string fixture(const std::string& name) {
  return std::string(MOBISYNC_FIXTURES_DIR) + "/csv/" + name;
}

inline Run readFixture(const std::string& name, Config config = {}, ReaderLimits limits = {}) {
  config.strings["path"] = fixture(name);
  return runSource(config, limits);
}

}  // namespace csv_source_fixture
}  // namespace mobisync::plugins::csv::test
