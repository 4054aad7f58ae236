// SPDX-License-Identifier: Apache-2.0
// CsvSource: the CSV source plugin's logic (one read of the file, rows to Contacts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Logger.h>

#include "csv_header.hpp"
#include "csv_options.hpp"
#include "csv_reader.hpp"
#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugins::csv {

/// Reads one CSV file with a header row into Contacts. init() checks the configuration and opens
/// nothing; each fetch() opens the file, streams it (decoded to UTF-8 when `encoding` says
/// another) and closes it. Rows that cannot become a Contact go to sink.reject(), or to
/// sink.rejectWithNumber() when a cell that may hold their number is readable. Anything that
/// makes the read incomplete or inconsistent (missing, empty or non-regular file, unusable
/// header, unterminated quote, a last line cut short, the file changed during the read, read
/// error) is returned as a failed Status, so the engine removes nothing.
/// Created by the plugin descriptor; one thread at a time; never throws.
class CsvSource final : public plugin::Source, public plugin::Probe {
 public:
  /// `limits` exist for tests, which shrink the chunk size to split records across reads.
  explicit CsvSource(ReaderLimits limits = {}) : limits_(limits) {}

  Status init(const plugin::Context& context) override;
  Status fetch(plugin::ContactSink& sink) override;
  void shutdown() noexcept override;
  /// csv_probe.cpp: the file exists and opens for reading (no row is parsed).
  std::vector<plugin::ProbeResult> probe() override;

 private:
  Status fetchFile(plugin::ContactSink& sink);
  Status readRows(RecordReader& reader, plugin::ContactSink& sink, bool& sink_stopped);
  std::string unreadableRow(const Record& record, const Columns& columns) const;
  std::string position(std::uint64_t line) const;
  void splitApplications(std::string_view cell, std::vector<std::string>& out) const;

  ReaderLimits limits_;
  bool initialised_ = false;
  Poco::Logger* logger_ = nullptr;
  Options options_;
};

}  // namespace mobisync::plugins::csv
