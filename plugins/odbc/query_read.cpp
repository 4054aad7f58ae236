// SPDX-License-Identifier: Apache-2.0
// One query read in batches: its columns handed on once, then each row, whole or not.
#include "query_read.hpp"

#include "odbc_errors.hpp"
#include "row_prefetch.hpp"

namespace mobisync::plugins::odbc {

Status readQuery(SQLHDBC dbc, const Options& options, const QueryRead& read) {
  BlockReader reader(dbc, options.batch_size);
  if (!reader.open(read.sql, read.parameter)) {
    return sourceFailure(options.label, options.password, read.name + " failed", reader.error());
  }
  if (Status s = read.on_columns(reader.columns()); !s) {
    return s;
  }
  // Rows are fetched on a second thread while this one maps and hands on the previous ones.
  RowPrefetch rows(reader);
  std::uint64_t row_number = 0;
  for (;;) {
    const RowPrefetch::HandOff& block = rows.next();
    for (std::size_t i = 0; i < block.count; ++i) {
      const RowPrefetch::Row& row = block.rows[i];
      if (Status s = read.on_row(row.cells, ++row_number, row.whole ? nullptr : &row.problem); !s) {
        return s;
      }
    }
    switch (block.last) {
      case BlockReader::Next::End:
        return Status::ok();
      case BlockReader::Next::Failed:
        return sourceFailure(options.label, options.password,
                             read.failed_after + " after row " + std::to_string(row_number),
                             reader.error());
      default:
        break;
    }
  }
}

}  // namespace mobisync::plugins::odbc
