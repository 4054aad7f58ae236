// SPDX-License-Identifier: Apache-2.0
// The TOML-to-ConfigValues checker: validates one table against a schema and collects every
// problem with its position. Internal to config/, the only folder that includes toml++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/app_config.hpp"
#include "config/core_schema.hpp"
#include "config/interpolation.hpp"
#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/plugin/config_values.hpp"
#include "mobisync/text.hpp"

namespace mobisync::config {

// The longest problem one error line carries: room for a sentence and two excerpts.
inline constexpr std::size_t kProblemBytes = 3 * text::kExcerptBytes;
// The largest count a count-or-percentage key takes; more is surely a typo, and it keeps the
// arithmetic on counts exact.
inline constexpr std::int64_t kMaxCount = 1'000'000'000;

/// Collects problems and knows how to name a position. Problems found in the second phase (a
/// plugin table checked once its schema is known) go to a slot reserved in the first, so the
/// report lists every problem in the file's order whatever the phase that found it.
class Checker {
 public:
  /// A place in the report reserved for problems found later.
  using Slot = std::size_t;

  Checker(std::string file, EnvLookup env);

  std::string at(const toml::source_region& r) const;
  // Each part is bounded, so a message stays short whatever a value or a helper's reason
  // quotes; callers quote values through text::excerpt() and never quote a secret.
  void error(const toml::source_region& r, const std::string& key, const std::string& problem);
  void warn(const toml::source_region& r, const std::string& key, const std::string& problem);
  /// Every problem so far, in report order.
  std::vector<std::string> errors() const;
  std::vector<std::string> warnings() const;
  /// See LoadOptions::resolve_secrets.
  void deferSecrets(bool defer) { defer_secrets_ = defer; }
  const std::vector<std::string>& unresolvedSecrets() const { return unresolved_secrets_; }
  const std::string& file() const { return file_; }

  /// Reserves the current place in the report; problems found so far stay before it, later
  /// ones after it, until writeTo() sends them into it.
  Slot reserveSlot();
  /// Sends the next problems to `slot` (from reserveSlot()), until writeToEnd().
  void writeTo(Slot slot) { current_ = slot; }
  void writeToEnd() { current_ = groups_.size() - 1; }

  std::string resolvePath(const std::string& p) const;

  /// Interpolates a string node; reports a failure at the node, quoting none of a `secret`.
  std::optional<std::string> text(const toml::node& n, const std::string& key,
                                  bool secret = false);

  /// Validates `table` against `keys`, filling `out`. `prefix` names the table in messages
  /// ("provider", "source.customers"). Keys in `handled` are checked by the caller.
  /// Numeric values are checked against `ranges` (the core's), else their type's range.
  void validate(const toml::table& table, const std::string& prefix,
                std::span<const plugin::ConfigKey> keys, plugin::ConfigValues& out,
                const std::set<std::string>& handled = {}, std::span<const KeyRange> ranges = {});

  /// "25" or "10%" as a MaxDelete, or nullopt when it is neither.
  static std::optional<MaxDelete> parseCountOrPercent(const std::string& t);

 private:
  struct Group {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
  };

  static std::string qualified(const std::string& prefix, const std::string& key);
  static const char* typeName(toml::node_type t);
  std::string line(const toml::source_region& r, const std::string& key,
                   const std::string& problem) const;

  void reportUnknownKeys(const toml::table& table, const std::string& prefix,
                         const std::set<std::string>& known);
  void validateKey(const toml::table& table, const std::string& prefix,
                   const plugin::ConfigKey& k, const KeyRange* range, plugin::ConfigValues& out);
  // value_conversion.cpp: a written value as its key's type.
  bool inRange(const plugin::ConfigValue& value, plugin::KeyType type, const KeyRange* range,
               const toml::node& node, const std::string& qname);
  std::nullopt_t wrongType(const toml::node& node, const std::string& qname, const char* expected);
  std::optional<plugin::ConfigValue> convert(const toml::node& node, plugin::KeyType type,
                                             const std::string& qname);
  std::optional<plugin::ConfigValue> convertCountOrPercent(const toml::node& node,
                                                           const std::string& qname);
  std::optional<plugin::ConfigValue> convertList(const toml::node& node, const std::string& qname);
  template <class T>
  std::optional<plugin::ConfigValue> fromInterpolated(const toml::node& node,
                                                      const std::string& qname,
                                                      const char* expected);
  // secret_resolution.cpp: a Secret key written inline, as <key>_env, <key>_file or
  // <key>_credential.
  void validateSecret(const toml::table& table, const std::string& prefix,
                      const plugin::ConfigKey& k, plugin::ConfigValues& out);
  /// A secret that cannot be read: an error, or listed when secrets are deferred.
  void secretMissing(const toml::source_region& r, const std::string& key,
                     const std::string& problem);
  /// A secret file or credential at `path` that could not be used: secretMissing when it is
  /// missing or unreadable here, an error for every command when it is readable but unusable.
  void secretUnusable(const toml::source_region& r, const std::string& key,
                      const std::string& path, const std::string& problem);
  std::optional<std::string> credential(const toml::node& node, const std::string& key);

  std::string file_;
  EnvLookup env_;
  std::filesystem::path base_dir_;
  bool readable_by_others_ = false;
  bool defer_secrets_ = false;
  std::vector<std::string> unresolved_secrets_;
  std::vector<Group> groups_{1};
  std::size_t current_ = 0;
};

/// Where a key's problem is reported: the key, else its table (an empty region for no table).
toml::source_region keyPosition(const toml::table* t, const char* key);

}  // namespace mobisync::config
