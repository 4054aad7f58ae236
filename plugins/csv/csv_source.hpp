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
#include "decoder.hpp"
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
inline constexpr const char* kDefaultEncoding = "utf-8";

class SnapshotFile;

/// Reads one CSV file with a header row into Contacts. init() checks the configuration and opens
/// nothing; each fetch() opens the file, streams it (decoded to UTF-8 when `encoding` says
/// another) and closes it. Rows that cannot become a Contact go to sink.reject(), or to
/// sink.rejectWithNumber() when a cell that may hold their number is readable. Anything that
/// makes the read incomplete or inconsistent (missing, empty or non-regular file, unusable
/// header, unterminated quote, a last line cut short, the file changed during the read, read
/// error) is returned as a failed Status, so the engine removes nothing.
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
  Status readRows(RecordReader& reader, plugin::ContactSink& sink, bool& sink_stopped);
  Status mapHeader(const Record& header, Columns& columns) const;
  Status unreadableHeader(const Record& header, std::size_t field) const;
  std::string unreadableRow(const Record& record, const Columns& columns) const;
  std::string headerList(const std::vector<std::string>& header) const;
  std::string position(std::uint64_t line) const;
  void splitApplications(std::string_view cell, std::vector<std::string>& out) const;

  ReaderLimits limits_;
  bool initialised_ = false;
  Poco::Logger* logger_ = nullptr;

  std::string path_;
  std::string file_name_;  // the path's last component, for positions
  Dialect dialect_;
  Encoding encoding_ = Encoding::Utf8;
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
