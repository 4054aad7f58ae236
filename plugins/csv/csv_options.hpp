// SPDX-License-Identifier: Apache-2.0
// The CSV source's options: its config keys, read and checked once at init().
#pragma once

#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "decoder.hpp"
#include "mobisync/plugin/config_values.hpp"
#include "mobisync/result.hpp"

namespace mobisync::plugins::csv {

// Defaults, shared by the schema table (what users see) and readOptions() (what tests that build
// a ConfigValues by hand get), so the two cannot drift apart.
inline constexpr const char* kDefaultDelimiter = ",";
inline constexpr const char* kDefaultQuote = "\"";
inline constexpr const char* kDefaultMsisdnColumn = "msisdn";
inline constexpr const char* kDefaultNameColumn = "name";
inline constexpr const char* kDefaultReferenceColumn = "reference";
inline constexpr const char* kDefaultApplicationsColumn = "applications";
inline constexpr const char* kDefaultApplicationsSeparator = ";";
inline constexpr const char* kDefaultEncoding = "utf-8";

/// Every key of the schema, validated. Empty optional column names mean "this file has no such
/// column". Value type; holds no reference into the host's config, so fetch() may outlive it.
struct Options {
  std::string path;
  std::string file_name;  ///< the path's last component, for positions ("people.csv:12")
  Dialect dialect;
  Encoding encoding = Encoding::Utf8;
  std::string msisdn_column = kDefaultMsisdnColumn;
  std::string name_column = kDefaultNameColumn;
  std::string reference_column = kDefaultReferenceColumn;
  std::string applications_column = kDefaultApplicationsColumn;
  std::string applications_separator = kDefaultApplicationsSeparator;
  std::vector<std::string> attributes;  ///< empty: every column without a role
  /// Where msisdn_column and attributes were written, for errors found in the file's header.
  std::string msisdn_where = "msisdn_column";
  std::string attributes_where = "attributes";
};

/// Reads `config` (already checked against the schema for types and required keys) and checks
/// values and combinations; errors name the key and where it was written.
Result<Options> readOptions(const plugin::ConfigValues& config);

}  // namespace mobisync::plugins::csv
