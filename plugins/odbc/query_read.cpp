// SPDX-License-Identifier: Apache-2.0
// One query read in batches: its columns handed on once, then each row, whole or not.
#include "query_read.hpp"

#include "odbc_errors.hpp"

namespace mobisync::plugins::odbc {

Status readQuery(SQLHDBC dbc, const Options& options, const QueryRead& read) {
  BlockReader reader(dbc, options.batch_size);
  if (!reader.open(read.sql, read.parameter)) {
    return sourceFailure(options.label, options.password, read.name + " failed", reader.error());
  }
  if (Status s = read.on_columns(reader.columns()); !s) {
    return s;
  }
  std::vector<Cell> row(reader.columns().size());
  std::uint64_t row_number = 0;
  for (;;) {
    switch (reader.next(row)) {
      case BlockReader::Next::Row:
        if (Status s = read.on_row(row, ++row_number, nullptr); !s) {
          return s;
        }
        break;
      case BlockReader::Next::BadRow:
        if (Status s = read.on_row(row, ++row_number, &reader.problem()); !s) {
          return s;
        }
        break;
      case BlockReader::Next::End:
        return Status::ok();
      case BlockReader::Next::Failed:
        return sourceFailure(options.label, options.password,
                             read.failed_after + " after row " + std::to_string(row_number),
                             reader.error());
    }
  }
}

}  // namespace mobisync::plugins::odbc
