// SPDX-License-Identifier: Apache-2.0
// Helpers for the CSV plugin tests: a temp dir, the kit's sink, and a CsvSource run with config.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv_source.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "mobisync/plugin/testing.hpp"

namespace mobisync::plugins::csv::test {

/// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mobisync-csv-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `bytes` exactly (binary: no newline translation) to `name` and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      throw std::runtime_error("cannot write " + file.string());
    }
    return file.string();
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Records everything a source hands over (the SDK's kit); `fail_after` makes accept() fail once
/// that many contacts were taken, as a host does when it must stop a fetch.
using RecordingSink = plugin::testing::RecordingSink;

/// Where every test key claims to be written, so messages that name a key can be asserted.
inline constexpr const char* kOrigin = "jobs.toml:7:3";

/// Config as the host would pass it: strings and string lists, all at kOrigin.
struct Config {
  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<std::string>> lists;

  plugin::ConfigValues values() const {
    plugin::testing::ConfigBuilder v;
    for (const auto& [key, value] : strings) {
      v.set(key, value, kOrigin);
    }
    for (const auto& [key, value] : lists) {
      v.set(key, value, kOrigin);
    }
    return v;
  }
};

/// Runs init() and fetch() on one CsvSource, keeping the config alive as the host does.
struct Run {
  Status init;
  Status fetch;
  RecordingSink sink;
};

inline Run runSource(const Config& config, ReaderLimits limits = {},
                     std::optional<std::size_t> fail_after = std::nullopt) {
  Run run;
  run.sink.fail_after = fail_after;
  const plugin::testing::TestContext context(config.values(), "csv", "test");
  CsvSource source(limits);
  run.init = source.init(context);
  if (run.init) {
    run.fetch = source.fetch(run.sink);
  }
  source.shutdown();
  return run;
}

/// Reads `bytes` as a file named `name` with the default config plus `extra`.
inline Run readCsv(const std::string& bytes, Config extra = {}, ReaderLimits limits = {},
                   const std::string& name = "contacts.csv") {
  TempDir dir;
  extra.strings["path"] = dir.write(name, bytes);
  return runSource(extra, limits);
}

}  // namespace mobisync::plugins::csv::test
