// SPDX-License-Identifier: Apache-2.0
// PostgresUrl: the parts of a `[state] url`, parsed and checked without connecting.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mobisync::values {

/// The parts of a state url, checked. Value type.
struct PostgresUrl {
  std::string host;
  int port = 5432;
  std::string user;
  std::string database;
  /// Query parameters passed to libpq as given (sslmode, connect_timeout, ...).
  std::vector<std::pair<std::string, std::string>> params;
};

/// Parses `url`; on failure returns why in `error` (without echoing a password).
std::optional<PostgresUrl> parsePostgresUrl(const std::string& url, std::string& error);

}  // namespace mobisync::values
