// SPDX-License-Identifier: Apache-2.0
// CsvSource: the CSV source plugin's logic (config, header mapping, rows to Contacts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Logger.h>

#include "csv_reader.hpp"
#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugins::csv {

// Defaults, shared by the schema table (what users see) and init() (what tests that build a
// ConfigValues by hand get), so the two cannot drift apart.
inline constexpr const char* kDefaultDelimiter = ",";
inline constexpr const char* kDefaultQuote = "\"";
inline constexpr const char* kDefaultMsisdnColumn = "msisdn";
inline constexpr const char* kDefaultNameColumn = "name";
inline constexpr const char* kDefaultReferenceColumn = "reference";
inline constexpr const char* kDefaultApplicationsColumn = "applications";
inline constexpr const char* kDefaultApplicationsSeparator = ";";

/// Reads one CSV file with a header row into Contacts. init() checks the configuration and opens
/// nothing; each fetch() opens the file, streams it and closes it. Rows that cannot become a
/// Contact go to sink.reject(); anything that makes the read incomplete (missing or empty file,
/// unusable header, unterminated quote, read error) is returned as a failed Status.
/// Created by the plugin descriptor; one thread at a time; never throws.
class CsvSource final : public plugin::Source {
 public:
  /// `limits` exist for tests, which shrink the chunk size to split records across reads.
  explicit CsvSource(ReaderLimits limits = {}) : limits_(limits) {}

  Status init(const plugin::Context& context) override;
  Status fetch(plugin::ContactSink& sink) override;
  void shutdown() noexcept override;

 private:
  /// Where each configured role sits in the header; npos when the header lacks the column.
  struct Columns {
    std::vector<std::string> header;
    std::size_t msisdn = 0;
    std::size_t name = std::string::npos;
    std::size_t reference = std::string::npos;
    std::size_t applications = std::string::npos;
    std::vector<std::size_t> attributes;
  };

  Status initConfig(const plugin::ConfigValues& config);
  Status fetchFile(plugin::ContactSink& sink);
  Status mapHeader(const Record& header, Columns& columns) const;
  std::string headerList(const std::vector<std::string>& header) const;
  std::string position(std::uint64_t line) const;
  void splitApplications(std::string_view cell, std::vector<std::string>& out) const;

  ReaderLimits limits_;
  bool initialised_ = false;
  Poco::Logger* logger_ = nullptr;

  std::string path_;
  std::string file_name_;  // the path's last component, for positions
  Dialect dialect_;
  std::string msisdn_column_;
  std::string name_column_;
  std::string reference_column_;
  std::string applications_column_;
  std::string applications_separator_;
  std::vector<std::string> attributes_;  // empty: every column without a role
  // Copied at init so fetch() holds no reference into the host's config.
  std::string msisdn_where_;
  std::string attributes_where_;
};

}  // namespace mobisync::plugins::csv
