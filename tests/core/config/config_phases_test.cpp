// SPDX-License-Identifier: Apache-2.0
// The two phases of loading: readConfig() names the plugins without loading any, and
// finishConfig() checks their tables against schemas given as data, reporting every problem of
// both phases in the file's order.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/toml_config.hpp"
#include "support/temp_dir.hpp"

using mobisync::config::finishConfig;
using mobisync::config::PluginSchemas;
using mobisync::config::readConfig;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::Kind;
using mobisync::plugin::KeyType;

namespace {

const ConfigKey kCsvSchema[] = {{"path", KeyType::Path, true, nullptr, "file"}};
const ConfigKey kSmsSchema[] = {{"route_id", KeyType::String, true, nullptr, "route"}};

std::optional<std::string> noEnv(const std::string&) { return std::nullopt; }

// Line numbers matter below: the plugin tables sit between problems of phase 1.
const char* kText = R"([provider]
base_url = "http://127.0.0.1:9"
username = "demo"
password = "x"
concurrency = 0

[[source]]
name = "s"
plugin = "csv"
path = "people.csv"
colour = "red"

[[notifier]]
name = "sms"
plugin = "smsfake"

[[job]]
name = "people"
source = "nope"
default_region = "GB"
applications = ["contacts:42"]

[[notify]]
on = "job.failed"
via = "sms"
to = ["+447911123456"]
template = "failed: {error}"
)";

PluginSchemas schemas(bool with_notifier) {
  PluginSchemas s;
  s.sources.emplace("csv", std::vector<ConfigKey>(std::begin(kCsvSchema), std::end(kCsvSchema)));
  if (with_notifier) {
    s.notifiers.emplace("smsfake",
                        std::vector<ConfigKey>(std::begin(kSmsSchema), std::end(kSmsSchema)));
  } else {
    s.notifiers.emplace("smsfake", mobisync::Status::invalidConfig("plugin smsfake not found"));
  }
  return s;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

/// Both phases over kText, the notifier's plugin given or not: the problems' lines, and the file.
std::vector<std::string> problems(bool with_notifier, std::string& file) {
  mobisync::test::TempDir dir;
  file = dir.write("mobisync.toml", kText);
  auto parsed = readConfig(file, noEnv);
  REQUIRE(parsed);
  auto cfg = finishConfig(std::move(parsed).value(), schemas(with_notifier));
  REQUIRE_FALSE(cfg);
  return lines(cfg.error().message());
}

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("phase 1 names each plugin table with its kind and place, loading nothing") {
    mobisync::test::TempDir dir;
    const std::string file = dir.write("mobisync.toml", kText);
    auto parsed = readConfig(file, noEnv);
    REQUIRE(parsed);
    const auto& tables = parsed->pluginTables();
    REQUIRE(tables.size() == 2);
    CHECK(tables[0].kind == Kind::Source);
    CHECK(tables[0].plugin == "csv");
    CHECK(tables[0].origin.ends_with("mobisync.toml:7:1"));
    CHECK(tables[1].kind == Kind::Notifier);
    CHECK(tables[1].plugin == "smsfake");
    CHECK(tables[1].origin.ends_with("mobisync.toml:13:1"));
    // The core tables are read already; the plugin dirs are what the caller loads from.
    CHECK(parsed->config().provider.username == "demo");
    CHECK(parsed->config().jobs.size() == 1);
  }

  TEST_CASE("phase 2 reports every problem of both phases in the file's order") {
    std::string file;
    const auto got = problems(true, file);
    REQUIRE(got.size() == 4);
    CHECK(got[0] == file + ":5:15: provider.concurrency: must be between 1 and 64, got 0");
    CHECK(got[1] == file + ":11:1: source.s.colour: unknown key");
    CHECK(got[2] == file + ":13:1: notifier.sms.route_id: required key is missing (string: route)");
    CHECK(got[3] == file + ":19:10: job.people.source: no [[source]] is named \"nope\"");
  }

  TEST_CASE("a plugin that could not be loaded is reported at its plugin key, and so is its name") {
    std::string file;
    const auto got = problems(false, file);
    REQUIRE(got.size() == 5);
    CHECK(got[2] == file + ":15:10: notifier.sms.plugin: plugin smsfake not found");
    CHECK(got[3] == file + ":19:10: job.people.source: no [[source]] is named \"nope\"");
    // The rule's check waits for phase 2 yet keeps its place after the job's.
    CHECK(got[4] == file + ":25:7: notify[0].via: no [[notifier]] is named \"sms\"");
  }
}
