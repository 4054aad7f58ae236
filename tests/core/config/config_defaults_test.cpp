// SPDX-License-Identifier: Apache-2.0
// The SDK's default rule (mobisync/plugin/config_defaults.hpp) and the host's loader agree.
#include <doctest/doctest.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "config/toml_config.hpp"
#include "mobisync/plugin/config_defaults.hpp"
#include "support/temp_dir.hpp"

using mobisync::plugin::ConfigKey;
using mobisync::plugin::ConfigValue;
using mobisync::plugin::defaultValue;
using mobisync::plugin::KeyType;

namespace {

const ConfigKey kDefaults[] = {
    {"path", KeyType::Path, false, "data/../people.csv", "relative default"},
    {"absolute", KeyType::Path, false, "/srv/x.csv", "absolute default"},
    {"unset", KeyType::Path, false, "", "empty default"},
    {"delimiter", KeyType::String, false, ",", "sep"},
    {"count", KeyType::PositiveInteger, false, "100", "n"},
    {"ratio", KeyType::Float, false, "2.5", "r"},
    {"flag", KeyType::Boolean, false, "true", "b"},
    {"off", KeyType::Boolean, false, "yes", "not \"true\": false"},
    {"columns", KeyType::StringList, false, "a,b,,c", "list"},
    {"limit", KeyType::CountOrPercent, false, "10%", "c"},
    {"none", KeyType::String, false, nullptr, "no default"},
};

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("a key's default text becomes its typed value, paths resolved against the base") {
    const std::filesystem::path base = "/etc/mobisync";
    CHECK(defaultValue(kDefaults[0], base) == ConfigValue{std::string("/etc/mobisync/people.csv")});
    CHECK(defaultValue(kDefaults[1], base) == ConfigValue{std::string("/srv/x.csv")});
    CHECK(defaultValue(kDefaults[2], base) == ConfigValue{std::string()});
    CHECK(defaultValue(kDefaults[3], base) == ConfigValue{std::string(",")});
    CHECK(defaultValue(kDefaults[4], base) == ConfigValue{std::int64_t{100}});
    CHECK(defaultValue(kDefaults[5], base) == ConfigValue{2.5});
    CHECK(defaultValue(kDefaults[6], base) == ConfigValue{true});
    CHECK(defaultValue(kDefaults[7], base) == ConfigValue{false});
    CHECK(defaultValue(kDefaults[8], base) ==
          ConfigValue{std::vector<std::string>{"a", "b", "", "c"}});
    CHECK(defaultValue(kDefaults[9], base) == ConfigValue{std::string("10%")});
    CHECK_FALSE(defaultValue(kDefaults[10], base).has_value());
  }

  TEST_CASE("the loader applies exactly the SDK's defaults to a plugin's unwritten keys") {
    mobisync::test::TempDir dir;
    dir.write("mobisync.toml", R"(
[provider]
base_url = "http://127.0.0.1:9"
username = "demo"
password_env = "PW"

[[source]]
name = "s"
plugin = "fake"
)");
    auto schemas = [](const mobisync::config::AppConfig&, const std::string&)
        -> mobisync::Result<std::vector<ConfigKey>> {
      return std::vector<ConfigKey>(std::begin(kDefaults), std::end(kDefaults));
    };
    auto env = [](const std::string&) -> std::optional<std::string> { return "pw"; };
    auto cfg = mobisync::config::loadConfig(dir.file("mobisync.toml"), schemas, env);
    REQUIRE(cfg);
    REQUIRE(cfg->sources.size() == 1);
    const auto& values = cfg->sources[0].values;
    const auto base = std::filesystem::path(cfg->file).parent_path();
    for (const auto& k : kDefaults) {
      CAPTURE(k.name);
      auto expected = defaultValue(k, base);
      CHECK(values.has(k.name) == expected.has_value());
      if (!expected) continue;
      std::visit(
          [&](const auto& want) {
            using T = std::decay_t<decltype(want)>;
            CHECK(values.get<T>(k.name) == want);
          },
          *expected);
    }
    CHECK(values.string("path") == (base / "people.csv").string());
    CHECK(values.integer("count") == 100);
    CHECK(values.number("ratio") == 2.5);
    CHECK(values.boolean("flag") == true);
    CHECK(values.list("columns") == std::vector<std::string>{"a", "b", "", "c"});
  }
}
