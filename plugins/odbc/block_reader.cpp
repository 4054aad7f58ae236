// SPDX-License-Identifier: Apache-2.0
// BlockReader: one query's rows through the ODBC C API, a block of rows per SQLFetchScroll.
#include "block_reader.hpp"

#include <sqlext.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace mobisync::plugins::odbc {

namespace {

// Longer values are rare in contact data (a name, a reference, a list of applications); they
// are read again whole with SQLGetData rather than making every row's buffer wide.
constexpr std::size_t kMaxCellBytes = 1024;
// The bound buffers of one block; wide rows get fewer rows per block.
constexpr std::size_t kBlockBudgetBytes = 16u << 20;

bool isCharacter(SQLSMALLINT type) {
  switch (type) {
    case SQL_CHAR:
    case SQL_VARCHAR:
    case SQL_LONGVARCHAR:
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return true;
    default:
      return false;
  }
}

bool isFloating(SQLSMALLINT type) {
  return type == SQL_DOUBLE || type == SQL_FLOAT || type == SQL_REAL;
}

bool isDecimal(SQLSMALLINT type) { return type == SQL_DECIMAL || type == SQL_NUMERIC; }

// Bytes of SQL_C_CHAR text for a column of `size` characters (0: the driver does not know):
// UTF-8 takes up to 4 bytes a character; numbers, dates and times get room for a sign, a
// point, an exponent or a zone offset.
std::size_t textWidth(SQLSMALLINT type, SQLULEN size) {
  std::size_t bytes = kMaxCellBytes;
  if (size > 0 && size < kMaxCellBytes) {
    bytes = isCharacter(type) ? static_cast<std::size_t>(size) * 4
                              : std::max<std::size_t>(static_cast<std::size_t>(size) + 8, 40);
  }
  return std::min(bytes, kMaxCellBytes) + 1;  // the driver always writes a terminating NUL
}

// Decimals and floats holding whole numbers (447930000001.0) read as the digits; larger or
// fractional values keep their text so the engine rejects them as numbers.
void doubleText(double d, std::string& out) {
  char buf[64];
  int n = 0;
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e17) {
    n = std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    n = std::snprintf(buf, sizeof buf, "%.17g", d);
  }
  out.assign(buf, static_cast<std::size_t>(std::max(n, 0)));
}

// "447930000001.00" -> "447930000001", as a whole number read from a double would be.
void dropZeroFraction(std::string& text) {
  const std::size_t point = text.find('.');
  if (point != std::string::npos && point > 0 &&
      text.find_first_not_of('0', point + 1) == std::string::npos) {
    text.resize(point);
  }
}

}  // namespace

BlockReader::BlockReader(SQLHDBC dbc, std::size_t batch_size)
    : dbc_(dbc), batch_size_(std::max<std::size_t>(batch_size, 1)) {}

BlockReader::~BlockReader() {
  if (stmt_ != SQL_NULL_HSTMT) {
    SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
  }
}

bool BlockReader::fail(SQLSMALLINT handle_type, SQLHANDLE handle) {
  error_ = diagnoseHandle(handle_type, handle);
  return false;
}

bool BlockReader::open(const std::string& sql, const std::optional<CursorParameter>& parameter) {
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt_))) {
    stmt_ = SQL_NULL_HSTMT;
    return fail(SQL_HANDLE_DBC, dbc_);
  }
  // Hints: a driver that does not support them reads as before.
  if (max_rows_ != 0) {
    (void)SQLSetStmtAttr(stmt_, SQL_ATTR_MAX_ROWS,
                         reinterpret_cast<SQLPOINTER>(static_cast<std::uintptr_t>(max_rows_)), 0);
  }
  if (timeout_seconds_ != 0) {
    const auto seconds = static_cast<std::uintptr_t>(timeout_seconds_);
    (void)SQLSetStmtAttr(stmt_, SQL_ATTR_QUERY_TIMEOUT, reinterpret_cast<SQLPOINTER>(seconds), 0);
  }
  if (parameter && !bindParameter(*parameter)) {
    return false;
  }
  std::string text = sql;  // SQLExecDirect takes a non-const pointer
  const SQLRETURN rc = SQLExecDirect(stmt_, reinterpret_cast<SQLCHAR*>(text.data()), SQL_NTS);
  if (rc != SQL_NO_DATA && !SQL_SUCCEEDED(rc)) {
    return fail(SQL_HANDLE_STMT, stmt_);
  }
  SQLUINTEGER extensions = 0;
  if (SQL_SUCCEEDED(SQLGetInfo(dbc_, SQL_GETDATA_EXTENSIONS, &extensions, sizeof extensions,
                               nullptr)) &&
      (extensions & SQL_GD_BOUND) != 0) {
    long_values_ = (extensions & SQL_GD_BLOCK) != 0 ? LongValues::InBlock : LongValues::OneRow;
  }
  return bindColumns();
}

bool BlockReader::bindParameter(const CursorParameter& parameter) {
  SQLSMALLINT c_type = SQL_C_CHAR;
  SQLSMALLINT sql_type = SQL_VARCHAR;
  SQLULEN size = 0;
  SQLSMALLINT digits = 0;
  SQLPOINTER value = nullptr;
  SQLLEN length = 0;
  switch (parameter.type) {
    case CursorType::Integer:
      integer_parameter_ = parameter.from ? std::stoll(*parameter.from)
                                          : std::numeric_limits<std::int64_t>::min();
      c_type = SQL_C_SBIGINT;
      sql_type = SQL_BIGINT;
      size = 19;
      value = &integer_parameter_;
      parameter_indicator_ = 0;
      break;
    case CursorType::Timestamp: {
      timestamp_parameter_ = SQL_TIMESTAMP_STRUCT{1, 1, 1, 0, 0, 0, 0};
      if (parameter.from) {
        // Normal form: YYYY-MM-DDTHH:MM:SS.ffffffZ, UTC.
        const std::string& v = *parameter.from;
        const auto n = [&](std::size_t at, std::size_t len) {
          return std::stoi(v.substr(at, len));
        };
        timestamp_parameter_.year = static_cast<SQLSMALLINT>(n(0, 4));
        timestamp_parameter_.month = static_cast<SQLUSMALLINT>(n(5, 2));
        timestamp_parameter_.day = static_cast<SQLUSMALLINT>(n(8, 2));
        timestamp_parameter_.hour = static_cast<SQLUSMALLINT>(n(11, 2));
        timestamp_parameter_.minute = static_cast<SQLUSMALLINT>(n(14, 2));
        timestamp_parameter_.second = static_cast<SQLUSMALLINT>(n(17, 2));
        timestamp_parameter_.fraction = static_cast<SQLUINTEGER>(n(20, 6)) * 1000u;
      }
      c_type = SQL_C_TYPE_TIMESTAMP;
      sql_type = SQL_TYPE_TIMESTAMP;
      size = 26;
      digits = 6;
      value = &timestamp_parameter_;
      parameter_indicator_ = 0;
      break;
    }
    case CursorType::Text:
      text_parameter_ = parameter.from.value_or(std::string());
      size = std::max<std::size_t>(text_parameter_.size(), 1);
      value = text_parameter_.data();
      length = static_cast<SQLLEN>(text_parameter_.size());
      parameter_indicator_ = length;
      break;
  }
  if (!SQL_SUCCEEDED(SQLBindParameter(stmt_, 1, SQL_PARAM_INPUT, c_type, sql_type, size, digits,
                                      value, length, &parameter_indicator_))) {
    return fail(SQL_HANDLE_STMT, stmt_);
  }
  return true;
}

bool BlockReader::bindColumns() {
  SQLSMALLINT count = 0;
  if (!SQL_SUCCEEDED(SQLNumResultCols(stmt_, &count))) {
    return fail(SQL_HANDLE_STMT, stmt_);
  }
  names_.clear();
  columns_.assign(static_cast<std::size_t>(std::max<SQLSMALLINT>(count, 0)), Column{});
  std::size_t row_bytes = 0;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    SQLCHAR name[512] = {};
    SQLSMALLINT name_length = 0;
    SQLSMALLINT type = 0;
    SQLULEN size = 0;
    SQLSMALLINT digits = 0;
    SQLSMALLINT nullable = 0;
    if (!SQL_SUCCEEDED(SQLDescribeCol(stmt_, static_cast<SQLUSMALLINT>(i + 1), name, sizeof name,
                                      &name_length, &type, &size, &digits, &nullable))) {
      return fail(SQL_HANDLE_STMT, stmt_);
    }
    names_.emplace_back(reinterpret_cast<const char*>(name));
    Column& column = columns_[i];
    if (isFloating(type)) {
      column.c_type = SQL_C_DOUBLE;
      column.width = sizeof(double);
    } else {
      column.c_type = SQL_C_CHAR;
      column.width = textWidth(type, size);
    }
    column.decimal = isDecimal(type);
    row_bytes += column.width + sizeof(SQLLEN);
  }
  // A driver that reads long values only on a block of one row (SQLite's) gets blocks of one:
  // still one call per row, not per cell, and nothing is cut short.
  const std::size_t block =
      long_values_ == LongValues::OneRow
          ? 1
          : std::min(batch_size_, std::max<std::size_t>(
                                      1, kBlockBudgetBytes / std::max<std::size_t>(row_bytes, 1)));
  row_status_.assign(block, SQL_ROW_NOROW);
  const auto set = [&](SQLINTEGER attribute, SQLPOINTER value) {
    return SQL_SUCCEEDED(SQLSetStmtAttr(stmt_, attribute, value, 0));
  };
  if (!set(SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN)) ||
      !set(SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(block))) ||
      !set(SQL_ATTR_ROW_STATUS_PTR, row_status_.data()) ||
      !set(SQL_ATTR_ROWS_FETCHED_PTR, &fetched_)) {
    return fail(SQL_HANDLE_STMT, stmt_);
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    Column& column = columns_[i];
    column.data.assign(column.width * block, '\0');
    column.indicators.assign(block, 0);
    if (!SQL_SUCCEEDED(SQLBindCol(stmt_, static_cast<SQLUSMALLINT>(i + 1), column.c_type,
                                  column.data.data(), static_cast<SQLLEN>(column.width),
                                  column.indicators.data()))) {
      return fail(SQL_HANDLE_STMT, stmt_);
    }
  }
  done_ = columns_.empty();
  return true;
}

bool BlockReader::fetchBlock() {
  fetched_ = 0;
  at_ = 0;
  const SQLRETURN rc = SQLFetchScroll(stmt_, SQL_FETCH_NEXT, 0);
  if (rc == SQL_NO_DATA) {
    done_ = true;
    return true;
  }
  if (!SQL_SUCCEEDED(rc)) {
    return fail(SQL_HANDLE_STMT, stmt_);
  }
  return true;
}

BlockReader::Next BlockReader::next(std::vector<Cell>& row) {
  while (at_ >= fetched_) {
    if (done_) {
      return Next::End;
    }
    if (!fetchBlock()) {
      return Next::Failed;
    }
  }
  const std::size_t r = at_++;
  row.resize(columns_.size());
  if (row_status_[r] == SQL_ROW_ERROR) {
    for (Cell& cell : row) {
      cell.null = true;
      cell.text.clear();
    }
    problem_.cell_read.assign(columns_.size(), false);
    problem_.reason = "the driver could not read the row";
    const Diagnostic d = diagnoseHandle(SQL_HANDLE_STMT, stmt_);
    if (!d.sqlstate.empty()) {
      problem_.reason += ": SQLSTATE " + d.sqlstate;
    }
    if (!d.message.empty()) {
      problem_.reason += ": " + d.message;
    }
    return Next::BadRow;
  }
  bool whole = true;
  problem_.cell_read.assign(columns_.size(), true);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (readCell(c, r, row[c])) {
      continue;
    }
    problem_.cell_read[c] = false;
    if (whole) {
      whole = false;
      problem_.reason = "column \"" + names_[c] + "\" holds a value longer than " +
                        std::to_string(columns_[c].width - 1) +
                        " bytes, which this driver cannot hand over whole";
    }
  }
  return whole ? Next::Row : Next::BadRow;
}

bool BlockReader::readCell(std::size_t column, std::size_t row, Cell& cell) {
  const Column& col = columns_[column];
  const SQLLEN indicator = col.indicators[row];
  const char* data = col.data.data() + row * col.width;
  if (indicator == SQL_NULL_DATA) {
    cell.null = true;
    cell.text.clear();
    return true;
  }
  cell.null = false;
  if (col.c_type == SQL_C_DOUBLE) {
    double d = 0;
    std::copy_n(data, sizeof d, reinterpret_cast<char*>(&d));
    doubleText(d, cell.text);
    return true;
  }
  if (indicator == SQL_NO_TOTAL || indicator < 0 ||
      static_cast<std::size_t>(indicator) >= col.width) {
    return readWhole(column, row, cell);
  }
  cell.text.assign(data, static_cast<std::size_t>(indicator));
  if (col.decimal) {
    dropZeroFraction(cell.text);
  }
  return true;
}

bool BlockReader::readWhole(std::size_t column, std::size_t row, Cell& cell) {
  cell.text.clear();
  if (long_values_ == LongValues::None ||
      (long_values_ == LongValues::InBlock &&
       !SQL_SUCCEEDED(SQLSetPos(stmt_, static_cast<SQLSETPOSIROW>(row + 1), SQL_POSITION,
                                SQL_LOCK_NO_CHANGE)))) {
    return false;
  }
  char buf[4096];
  for (;;) {
    SQLLEN indicator = 0;
    const SQLRETURN rc = SQLGetData(stmt_, static_cast<SQLUSMALLINT>(column + 1), SQL_C_CHAR,
                                    buf, sizeof buf, &indicator);
    if (rc == SQL_NO_DATA) {
      return true;
    }
    if (!SQL_SUCCEEDED(rc)) {
      return false;
    }
    if (indicator == SQL_NULL_DATA) {
      cell.null = true;
      return true;
    }
    // A part that filled the buffer ends in the NUL; the last part's length is exact.
    const bool partial =
        indicator == SQL_NO_TOTAL || static_cast<std::size_t>(indicator) >= sizeof buf;
    cell.text.append(buf, partial ? sizeof buf - 1 : static_cast<std::size_t>(indicator));
    if (!partial) {
      return true;
    }
  }
}

}  // namespace mobisync::plugins::odbc
