// SPDX-License-Identifier: Apache-2.0
// The CSV header row: where each configured role sits, and errors that name columns.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <Poco/Logger.h>

#include "csv_options.hpp"
#include "csv_reader.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugins::csv {

/// A role the header lacks.
inline constexpr std::size_t kNoColumn = std::string::npos;

/// Where each configured role sits in the header; kNoColumn when the header lacks the column.
struct Columns {
  std::vector<std::string> header;  ///< the names, trimmed
  std::size_t msisdn = 0;
  std::size_t name = kNoColumn;
  std::size_t reference = kNoColumn;
  std::size_t applications = kNoColumn;
  std::vector<std::size_t> attributes;
};

/// Maps the header row onto `options`' roles. Fails (naming the file and the key) on a name
/// that is not valid text, a name given twice, a missing msisdn column or a missing listed
/// attribute; logs each optional role the header lacks when `logger` is set.
Status mapHeader(const Record& header, const Options& options, Poco::Logger* logger,
                 Columns& columns);

/// How an error names column `index`: its name in quotes, or its number when it has none.
std::string columnLabel(const std::vector<std::string>& header, std::size_t index);

}  // namespace mobisync::plugins::csv
