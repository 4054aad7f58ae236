// SPDX-License-Identifier: Apache-2.0
// Config: a job's schedule and timezone, [daemon] and [metrics], refused at load with positions.
#include <doctest/doctest.h>

#include <string>

#include "config/toml_config.hpp"
#include "support/temp_dir.hpp"

using mobisync::config::AppConfig;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::KeyType;

namespace {

const ConfigKey kPathOnly[] = {{"path", KeyType::Path, true, nullptr, "file"}};

mobisync::Result<AppConfig> load(const mobisync::test::TempDir& dir, const std::string& extra_job,
                                 const std::string& tables = "") {
  const std::string text =
      "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\npassword = \"p\"\n" +
      tables +
      "\n[[source]]\nname = \"s\"\nplugin = \"csv\"\npath = \"a.csv\"\n"
      "\n[[job]]\nname = \"j\"\nsource = \"s\"\ndefault_region = \"GB\"\n" +
      extra_job;
  const std::string path = dir.write("mobisync.toml", text);
  return mobisync::config::loadConfig(
      path, [](const AppConfig&, const std::string&) -> mobisync::Result<std::vector<ConfigKey>> {
        return std::vector<ConfigKey>(std::begin(kPathOnly), std::end(kPathOnly));
      });
}

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("a schedule and zone are read and the daemon tables have defaults") {
    mobisync::test::TempDir dir;
    auto cfg = load(dir, "schedule = \"*/15 * * * *\"\ntimezone = \"Europe/London\"\n");
    REQUIRE_MESSAGE(cfg.has_value(), (cfg ? "" : cfg.error().message()));
    CHECK(cfg->jobs[0].schedule == "*/15 * * * *");
    CHECK(cfg->jobs[0].timezone == "Europe/London");
    CHECK(cfg->daemon.stop_timeout_seconds == 30);
    CHECK(cfg->metrics.listen == "127.0.0.1:9464");
  }

  TEST_CASE("a bad schedule is refused at its position with the field and column") {
    mobisync::test::TempDir dir;
    auto cfg = load(dir, "schedule = \"0 25 * * *\"\n");
    REQUIRE_FALSE(cfg.has_value());
    // The job table starts on line 11; schedule is its fourth key, at line 15 column 12.
    CHECK(cfg.error().message() == dir.file("mobisync.toml") +
                                       ":15:12: job.j.schedule: \"0 25 * * *\": hour field: 25 is "
                                       "out of range 0-23 at column 3");
  }

  TEST_CASE("an unknown zone and a bad metrics listener are refused") {
    mobisync::test::TempDir dir;
    auto cfg = load(dir, "schedule = \"@daily\"\ntimezone = \"Europe/Atlantis\"\n",
                    "[metrics]\nlisten = \"localhost\"\n[daemon]\nstop_timeout = 0\n");
    REQUIRE_FALSE(cfg.has_value());
    const std::string m = cfg.error().message();
    CHECK(m.find(":20:12: job.j.timezone: unknown time zone \"Europe/Atlantis\"") !=
          std::string::npos);
    CHECK(m.find(":6:10: metrics.listen: expected host:port") != std::string::npos);
    CHECK(m.find(":8:16: daemon.stop_timeout: must be between 1 and 3600, got 0") !=
          std::string::npos);
  }

  TEST_CASE("an empty metrics listener turns metrics off") {
    mobisync::test::TempDir dir;
    auto cfg = load(dir, "", "[metrics]\nlisten = \"\"\n");
    REQUIRE(cfg.has_value());
    CHECK(cfg->metrics.listen.empty());
  }
}
