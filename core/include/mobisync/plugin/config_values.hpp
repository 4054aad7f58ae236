// SPDX-License-Identifier: Apache-2.0
// ConfigValues: a plugin instance's validated configuration, free of any TOML type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/config.hpp>

namespace mobisync::plugin {

/// One validated value. Path values are already absolute; Secret values are already resolved.
using ConfigValue = std::variant<std::string, std::int64_t, bool, double, std::vector<std::string>>;

/// The validated keys of one plugin instance, with defaults from the schema applied, and where
/// each key was written ("mobisync.toml:12:1") so a plugin can name it in an error.
/// Built by the host before init(); read-only for the plugin. Thread-compatible.
class BOOST_SYMBOL_VISIBLE ConfigValues {
 public:
  void set(const std::string& key, ConfigValue value, std::string origin) {
    values_[key] = Entry{std::move(value), std::move(origin)};
  }
  bool has(const std::string& key) const { return values_.count(key) != 0; }

  /// The value of `key`, or `fallback` when it is absent or of another type.
  std::string string(const std::string& key, const std::string& fallback = {}) const {
    return get<std::string>(key).value_or(fallback);
  }
  std::int64_t integer(const std::string& key, std::int64_t fallback = 0) const {
    return get<std::int64_t>(key).value_or(fallback);
  }
  bool boolean(const std::string& key, bool fallback = false) const {
    return get<bool>(key).value_or(fallback);
  }
  double number(const std::string& key, double fallback = 0.0) const {
    if (auto d = get<double>(key)) return *d;
    if (auto i = get<std::int64_t>(key)) return static_cast<double>(*i);
    return fallback;
  }
  std::vector<std::string> list(const std::string& key) const {
    return get<std::vector<std::string>>(key).value_or(std::vector<std::string>{});
  }
  /// "file:line:col: key" when the key was written in a file, else "key".
  std::string where(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.origin.empty()) return key;
    return it->second.origin + ": " + key;
  }

  template <class T>
  std::optional<T> get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    if (const T* v = std::get_if<T>(&it->second.value)) return *v;
    return std::nullopt;
  }

 private:
  struct Entry {
    ConfigValue value;
    std::string origin;
  };
  std::map<std::string, Entry> values_;
};

}  // namespace mobisync::plugin
