// SPDX-License-Identifier: Apache-2.0
// Config schema as data: each plugin declares its keys in one static table (fluent-bit config_map).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mobisync::plugin {

/// The TOML type a key accepts. Secret keys are never written inline by default: the user sets
/// `<key>_env = "VAR"` or `<key>_file = "/path"` and the host resolves the value.
/// Path keys are strings resolved against the config file's directory when relative.
enum class KeyType : std::uint32_t {
  String = 1,
  Integer = 2,
  Boolean = 3,
  Float = 4,
  StringList = 5,
  Secret = 6,
  Path = 7,
  /// A count (integer) or a percentage ("10%"), as in `max_delete`.
  CountOrPercent = 8,
  // Since SDK 1.2: integers the host checks against a range (integerRange()), and URLs it
  // parses, so `mobisync check` refuses a value that would break every call.
  /// An integer number of milliseconds from 1 to 86,400,000 (one day): timeouts and delays.
  Milliseconds = 9,
  /// A TCP port from 1 to 65535.
  Port = 10,
  /// An integer from 1 to 2,147,483,647: sizes, counts of workers, attempts.
  PositiveInteger = 11,
  /// An http:// or https:// URL with a host and no user name or password in it.
  HttpUrl = 12,
};

/// The range of values an integer key type accepts (Integer: any 64-bit value).
struct IntegerRange {
  std::int64_t min;
  std::int64_t max;
};

constexpr IntegerRange integerRange(KeyType t) {
  switch (t) {
    case KeyType::Milliseconds: return {1, 86'400'000};
    case KeyType::Port: return {1, 65'535};
    case KeyType::PositiveInteger: return {1, 2'147'483'647};
    default: break;
  }
  return {INT64_MIN, INT64_MAX};
}

/// True for the types whose values are integers (ConfigValues::integer() reads them).
constexpr bool isIntegerType(KeyType t) {
  return t == KeyType::Integer || t == KeyType::Milliseconds || t == KeyType::Port ||
         t == KeyType::PositiveInteger;
}

/// One key of a plugin's configuration. Standard layout, C types only: it crosses the ABI.
/// `default_value` is the default as plain text, or nullptr for none: strings as they are
/// (",", not "\",\""), numbers in decimal ("100"), booleans "true"/"false", string lists as
/// comma-separated items ("a,b"). The host parses it with the key's type.
struct ConfigKey {
  const char* name;
  KeyType type;
  bool required;
  const char* default_value;
  const char* help;
};

/// The name of a KeyType as users read it in errors and in `plugins describe`.
constexpr const char* keyTypeName(KeyType t) {
  switch (t) {
    case KeyType::String: return "string";
    case KeyType::Integer: return "integer";
    case KeyType::Boolean: return "boolean";
    case KeyType::Float: return "float";
    case KeyType::StringList: return "array of strings";
    case KeyType::Secret: return "secret";
    case KeyType::Path: return "path";
    case KeyType::CountOrPercent: return "count or percentage";
    case KeyType::Milliseconds: return "milliseconds";
    case KeyType::Port: return "port";
    case KeyType::PositiveInteger: return "positive integer";
    case KeyType::HttpUrl: return "http(s) URL";
  }
  return "unknown";
}

}  // namespace mobisync::plugin
