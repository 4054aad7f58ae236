// SPDX-License-Identifier: Apache-2.0
// Config loading tests' shared pieces: a fake plugin schema, a valid config and its loader.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include <sys/stat.h>

#include "config/core_schema.hpp"
#include "config/toml_config.hpp"
#include "support/temp_dir.hpp"

using mobisync::config::AppConfig;
using mobisync::config::loadConfig;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::KeyType;

namespace config_fixture {

const ConfigKey kFakeSchema[] = {
    {"path", KeyType::Path, true, nullptr, "file"},
    {"delimiter", KeyType::String, false, ",", "sep"},
};

inline mobisync::config::SchemaLookup fakeSchemas() {
  return [](const AppConfig&, const std::string& name)
             -> mobisync::Result<std::vector<ConfigKey>> {
    if (name != "csv") return mobisync::Status::invalidConfig("plugin \"" + name + "\" not found");
    return std::vector<ConfigKey>(std::begin(kFakeSchema), std::end(kFakeSchema));
  };
}

inline mobisync::config::EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

constexpr const char* kValid = R"(
[provider]
base_url = "http://127.0.0.1:9"
username = "demo"
password_env = "PW"

[[source]]
name = "s"
plugin = "csv"
path = "people.csv"

[[job]]
name = "j"
source = "s"
default_region = "GB"
applications = ["contacts:42", "Contacts:42", "optouts:call"]
)";

struct Loaded {
  mobisync::test::TempDir dir;
  std::string file;
  mobisync::Result<AppConfig> result = mobisync::Status::internal("unset");
};

inline std::unique_ptr<Loaded> load(
    const std::string& text, std::map<std::string, std::string> vars = {{"PW", "s3cret-pw"}}) {
  auto l = std::make_unique<Loaded>();
  l->dir.write("mobisync.toml", text);
  l->file = l->dir.file("mobisync.toml");
  l->result = loadConfig(l->file, fakeSchemas(), env(std::move(vars)));
  return l;
}

/// kValid with `text` inserted before the first occurrence of `anchor`.
inline std::string validWith(const std::string& anchor, const std::string& text) {
  std::string t = kValid;
  t.insert(t.find(anchor), text);
  return t;
}

inline std::string errorOf(const Loaded& l) {
  REQUIRE_FALSE(l.result.has_value());
  return l.result.error().message();
}

}  // namespace config_fixture
