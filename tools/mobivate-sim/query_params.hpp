// SPDX-License-Identifier: Apache-2.0
// Decoding of URL query strings the way the provider's form-encoded GET endpoints read them.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace mobisync::sim {

/// Decoded query parameters; the first occurrence of a repeated name wins. Plain value.
class QueryParams {
 public:
  /// Parses a raw query ("a=1&b=x%20y"), '+' meaning space as in HTML forms.
  /// Malformed percent escapes are kept literally rather than refused.
  static QueryParams parse(const std::string& raw_query);

  /// The value, or nullopt when the parameter is absent.
  std::optional<std::string> get(const std::string& name) const;

  /// The value, or "" when absent.
  std::string value(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

/// The part of a request URI after '?', or "" when there is none.
std::string rawQueryOf(const std::string& uri);

/// The path of a request URI: everything before '?'.
std::string pathOf(const std::string& uri);

}  // namespace mobisync::sim
