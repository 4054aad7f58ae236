// SPDX-License-Identifier: Apache-2.0
// The ODBC source's options: its config keys, read and checked once at init().
#pragma once

#include <cstddef>
#include <string>

#include "cursor_value.hpp"
#include "mobisync/plugin/config_values.hpp"
#include "mobisync/result.hpp"
#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

// Defaults, shared by the schema table (what users see) and readOptions() (what tests that build
// a ConfigValues by hand get), so the two cannot drift apart.
inline constexpr const char* kDefaultMsisdnColumn = "msisdn";
inline constexpr const char* kDefaultNameColumn = "name";
inline constexpr const char* kDefaultReferenceColumn = "reference";
inline constexpr const char* kDefaultApplicationsColumn = "applications";
inline constexpr const char* kDefaultApplicationsSeparator = ";";
inline constexpr const char* kDefaultBatchSize = "1000";
inline constexpr const char* kDefaultLoginTimeout = "30";
inline constexpr const char* kDefaultMode = "snapshot";

/// The keys of `mode = "incremental"`; `where_*` name them in errors.
struct IncrementalConfig {
  bool enabled = false;
  std::string cursor_column;
  CursorType cursor_type = CursorType::Integer;
  std::string tombstone_column;
  std::string deletions_query;
  std::string where_cursor_column = "cursor_column";
  std::string where_cursor_type = "cursor_type";
  std::string where_tombstone_column = "tombstone_column";
  std::string where_deletions_query = "deletions_query";
};

/// Every key of the schema, validated. Holds the password (in `password` and inside
/// `connection_string`): never print either. Value type.
struct Options {
  /// What the source calls itself in messages: the DSN or the connection string, never the
  /// password.
  std::string label;
  /// The connection string handed to the driver manager, with UID=, PWD= and the driver
  /// settings the read relies on appended.
  std::string connection_string;
  std::string password;  ///< only to scrub messages a driver might echo it in
  std::string query;
  std::size_t batch_size = 1000;
  std::size_t login_timeout = 30;
  MappingConfig mapping;
  IncrementalConfig incremental;
};

/// Reads `config` (already checked against the schema for types and required keys) and checks
/// values and combinations; errors name the key and where it was written, never the password.
Result<Options> readOptions(const plugin::ConfigValues& config);

}  // namespace mobisync::plugins::odbc
