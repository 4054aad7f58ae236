// SPDX-License-Identifier: Apache-2.0
// One query read in batches: its columns handed on once, then each row, whole or not.
#pragma once

#include <sql.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "block_reader.hpp"
#include "mobisync/status.hpp"
#include "odbc_options.hpp"
#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

/// One query to read: the main one or the deletions query.
struct QueryRead {
  std::string sql;
  std::string name;          ///< "the query": failures before the first row say "<name> failed"
  std::string failed_after;  ///< "fetching rows failed": later failures add " after row N"
  std::optional<CursorParameter> parameter;
  std::function<Status(const std::vector<std::string>&)> on_columns;
  /// Each row with its number from 1; `problem` is set when the row could not be read whole.
  std::function<Status(const std::vector<Cell>&, std::uint64_t, const RowProblem* problem)>
      on_row;
};

/// The one fetch loop: runs `read.sql` on `dbc`, `options.batch_size` rows at a time, and hands
/// on its columns, then each row. Stops at the first failed Status of a callback and returns it;
/// a failed query or fetch is worded by sourceFailure() for `options.label`.
Status readQuery(SQLHDBC dbc, const Options& options, const QueryRead& read);

}  // namespace mobisync::plugins::odbc
