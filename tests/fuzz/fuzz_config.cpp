// SPDX-License-Identifier: Apache-2.0
// Fuzzes the config loader from TOML text: toml++ parsing, schema validation, interpolation and
// secrets. Invariant beyond "no crash": no message (error or warning) carries a secret value,
// whether it came through *_env or *_file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "config/toml_config.hpp"

namespace cfg = mobisync::config;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::KeyType;

namespace {

constexpr std::string_view kEnvSecret = "EnvSecret-7781";
constexpr std::string_view kFileSecret = "FileSecret-3319";

// One plugin schema with a key of every type, so every validator is reachable.
const ConfigKey kSchema[] = {
    {"path", KeyType::Path, true, nullptr, "file"},
    {"delimiter", KeyType::String, false, ",", "separator"},
    {"password", KeyType::Secret, false, nullptr, "a secret"},
    {"batch", KeyType::Integer, false, "100", "rows"},
    {"columns", KeyType::StringList, false, "a,b", "names"},
    {"ratio", KeyType::Float, false, "0.5", "share"},
    {"enabled", KeyType::Boolean, false, "true", "flag"},
    {"limit", KeyType::CountOrPercent, false, "10%", "cap"},
};

struct Workspace {
  std::string dir;
  std::string config;
  Workspace() {
    char tmpl[] = "/tmp/mobisync-fuzz-config-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) std::abort();
    dir = d;
    config = dir + "/mobisync.toml";
    std::ofstream(dir + "/secret.txt") << kFileSecret << "\n";
  }
};

bool mentions(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Workspace ws;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Device files and procfs would make *_file reads block or never end: not a parser finding.
  if (mentions(std::string(text), "/dev") || mentions(std::string(text), "/proc") ||
      mentions(std::string(text), "/sys")) {
    return 0;
  }
  {
    std::ofstream out(ws.config, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  cfg::SchemaLookup schemas = [](const cfg::AppConfig&, const std::string& name)
      -> mobisync::Result<std::vector<ConfigKey>> {
    if (name != "csv") return mobisync::Status::invalidConfig("plugin not found");
    return std::vector<ConfigKey>(std::begin(kSchema), std::end(kSchema));
  };
  cfg::EnvLookup env = [](const std::string& var) -> std::optional<std::string> {
    if (var == "PW") return std::string(kEnvSecret);
    if (var == "HOME_URL") return std::string("http://127.0.0.1:9");
    return std::nullopt;
  };
  auto loaded = cfg::loadConfig(ws.config, schemas, env);

  // A secret may legitimately reappear only where the text itself wrote it or pulled it into a
  // plain key through ${...}; otherwise any mention is a leak.
  if (mentions(std::string(text), "$") || mentions(std::string(text), kEnvSecret) ||
      mentions(std::string(text), kFileSecret)) {
    return 0;
  }
  std::vector<std::string> messages;
  if (loaded) {
    messages = loaded->warnings;
  } else {
    messages.push_back(loaded.error().message());
  }
  for (const auto& m : messages) {
    if (mentions(m, kEnvSecret) || mentions(m, kFileSecret)) std::abort();
  }
  return 0;
}
