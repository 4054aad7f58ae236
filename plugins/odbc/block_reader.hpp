// SPDX-License-Identifier: Apache-2.0
// BlockReader: one query's rows through the ODBC C API, a block of rows per SQLFetchScroll.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cursor_value.hpp"
#include "odbc_errors.hpp"
#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

/// The value bound to an incremental query's one `?`: the stored cursor in its normal form, or
/// nullopt for the type's lowest value (a full read).
struct CursorParameter {
  CursorType type = CursorType::Integer;
  std::optional<std::string> from;
};

/// Why a row could not be read whole, and which of its cells were: a source can still point at
/// the number of a row whose other cells failed.
struct RowProblem {
  std::string reason;
  std::vector<bool> cell_read;  ///< per column: the cell holds its whole value

  bool read(std::size_t column) const { return column < cell_read.size() && cell_read[column]; }
};

/// Runs one query on a statement of its own and yields its rows as text cells (readQuery reads
/// it through RowPrefetch, on a thread of its own). Columns are bound column-wise to buffers
/// sized from SQLDescribeCol, so the driver fills up to `batch_size` rows per call instead of
/// the source asking for every cell. A value longer than its buffer is read again whole with
/// SQLGetData (drivers that allow that only on a single row get blocks of one row), else the row
/// is reported as bad, naming the column: a truncated value never passes. Memory is the buffers
/// of one block (at most about 16 MiB, fewer rows per block when rows are wide). Not copyable;
/// used by one thread at a time.
class BlockReader {
 public:
  BlockReader(SQLHDBC dbc, std::size_t batch_size);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  /// Before open(): asks the driver for at most `max_rows` rows (SQL_ATTR_MAX_ROWS) and to give
  /// up on the query after `timeout_seconds` (SQL_ATTR_QUERY_TIMEOUT); 0 leaves either as the
  /// driver has it. Both are hints a driver may ignore.
  void limit(SQLULEN max_rows, SQLULEN timeout_seconds) {
    max_rows_ = max_rows;
    timeout_seconds_ = timeout_seconds;
  }

  /// Runs `sql`, binding `parameter` as its one `?` when given, and binds the result's columns.
  /// false with error() set when the driver refuses.
  bool open(const std::string& sql, const std::optional<CursorParameter>& parameter);

  /// The result's column names, in order; set by open().
  const std::vector<std::string>& columns() const { return names_; }

  enum class Next {
    Row,     ///< `row` holds the next row
    BadRow,  ///< the driver could not hand over this row whole; problem() says why
    End,     ///< no rows left
    Failed,  ///< the fetch failed (e.g. the connection was lost); error() says why
  };
  /// Reads the next row into `row` (one Cell per column; its strings keep their capacity from
  /// row to row).
  Next next(std::vector<Cell>& row);

  const Diagnostic& error() const { return error_; }
  const RowProblem& problem() const { return problem_; }

 private:
  struct Column {
    SQLSMALLINT c_type = SQL_C_CHAR;
    std::size_t width = 0;  // bytes per row in `data`
    bool decimal = false;   // DECIMAL/NUMERIC text: whole values lose their ".00"
    std::vector<char> data;
    std::vector<SQLLEN> indicators;
  };
  bool fail(SQLSMALLINT handle_type, SQLHANDLE handle);
  bool bindParameter(const CursorParameter& parameter);
  bool bindColumns();
  bool fetchBlock();
  bool readCell(std::size_t column, std::size_t row, Cell& cell);
  bool readWhole(std::size_t column, std::size_t row, Cell& cell);

  SQLHDBC dbc_;
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
  std::size_t batch_size_;
  SQLULEN max_rows_ = 0;
  SQLULEN timeout_seconds_ = 0;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::vector<SQLUSMALLINT> row_status_;
  SQLULEN fetched_ = 0;
  std::size_t at_ = 0;
  bool done_ = false;
  // How SQLGetData can read a value longer than its bound cell (SQL_GETDATA_EXTENSIONS):
  // InBlock: on any row of a block, after SQLSetPos; OneRow: only with blocks of one row;
  // None: not at all, so such a row is reported as bad.
  enum class LongValues { None, OneRow, InBlock };
  LongValues long_values_ = LongValues::None;

  // The parameter's buffers: the driver reads them at execution.
  std::int64_t integer_parameter_ = 0;
  SQL_TIMESTAMP_STRUCT timestamp_parameter_{};
  std::string text_parameter_;
  SQLLEN parameter_indicator_ = 0;

  Diagnostic error_;
  RowProblem problem_;
};

}  // namespace mobisync::plugins::odbc
