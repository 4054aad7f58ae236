// SPDX-License-Identifier: Apache-2.0
// A schema key's default text turned into its ConfigValue: the one rule the host applies, kept
// in the SDK so a plugin's tests can build the same values the host would (no toml++ here).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/plugin/config_values.hpp"

namespace mobisync::plugin {

/// A Path value as the host stores it: a relative path joined to `base_dir` (the config file's
/// folder), then lexically normalised; "" stays "" (an unset path).
inline std::string resolveConfigPath(std::string_view path, const std::filesystem::path& base_dir) {
  if (path.empty()) return std::string();
  std::filesystem::path p(path);
  if (p.is_relative()) p = base_dir / p;
  return p.lexically_normal().string();
}

/// `value` as an optional ConfigValue, built in place: moving a just-built variant into the
/// optional trips GCC 12's -Wmaybe-uninitialized under -fsanitize=address.
template <class T>
std::optional<ConfigValue> inPlaceValue(T value) {
  return std::optional<ConfigValue>(std::in_place, std::in_place_type<T>, std::move(value));
}

/// The value of default text `text` for a key of type `type`, as the host sets it when the key
/// is not written: strings as they are, integers and floats in decimal, booleans "true" (any
/// other text is false), string lists split at commas, Path resolved with resolveConfigPath().
/// Defaults are compiled into a plugin, so malformed number text is a bug in it: std::stoll
/// and std::stod throw std::invalid_argument or std::out_of_range, as the host lets them.
inline std::optional<ConfigValue> defaultValue(KeyType type, const std::string& text,
                                               const std::filesystem::path& base_dir) {
  switch (type) {
    case KeyType::String:
    case KeyType::Secret:
    case KeyType::CountOrPercent: return inPlaceValue(text);
    case KeyType::Path: return inPlaceValue(resolveConfigPath(text, base_dir));
    case KeyType::Integer:
    case KeyType::Milliseconds:
    case KeyType::Port:
    case KeyType::PositiveInteger: return inPlaceValue(static_cast<std::int64_t>(std::stoll(text)));
    case KeyType::HttpUrl: return inPlaceValue(text);
    case KeyType::Float: return inPlaceValue(std::stod(text));
    case KeyType::Boolean: return inPlaceValue(text == "true");
    case KeyType::StringList: {
      std::vector<std::string> items;
      std::stringstream s(text);
      for (std::string item; std::getline(s, item, ',');) items.push_back(item);
      return inPlaceValue(std::move(items));
    }
  }
  return std::nullopt;
}

/// The default of `key`, or nullopt when it declares none (default_value is nullptr).
inline std::optional<ConfigValue> defaultValue(const ConfigKey& key,
                                               const std::filesystem::path& base_dir) {
  if (key.default_value == nullptr) return std::nullopt;
  return defaultValue(key.type, std::string(key.default_value), base_dir);
}

}  // namespace mobisync::plugin
