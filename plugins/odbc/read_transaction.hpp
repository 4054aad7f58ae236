// SPDX-License-Identifier: Apache-2.0
// ReadTransaction: one read-only transaction at the strongest isolation the driver offers.
#pragma once

#include <sql.h>

#include <optional>
#include <string>

#include "odbc_errors.hpp"

namespace mobisync::plugins::odbc {

/// The isolation level a read asks for, given the driver's SQL_TXN_ISOLATION_OPTION bits:
/// REPEATABLE READ when offered (a snapshot on PostgreSQL and MySQL, without the aborts
/// SERIALIZABLE may add), else the strongest level offered; nullopt when none is.
std::optional<SQLUINTEGER> chooseIsolation(SQLUINTEGER offered);

/// "REPEATABLE READ" for SQL_TXN_REPEATABLE_READ, and so on.
const char* isolationName(SQLUINTEGER level);

/// Runs a source's queries inside one transaction, so the main query and the deletions query
/// (and every function a query calls) read one snapshot: what a writer commits meanwhile is
/// either wholly in the read or wholly out of it. begin() sets the isolation level, asks for
/// read-only access (a hint some drivers ignore) and turns autocommit off; commit() ends it.
/// The destructor rolls back a transaction that was not committed and turns autocommit back on.
/// A driver without transactions (SQL_TXN_CAPABLE = SQL_TC_NONE) reads as before: begin()
/// succeeds and level() is empty. Not copyable; one thread.
class ReadTransaction {
 public:
  explicit ReadTransaction(SQLHDBC dbc) : dbc_(dbc) {}
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  /// false with error() set when the driver refuses the level it offers or refuses to turn
  /// autocommit off: then no consistent read can be promised.
  bool begin();
  /// false with error() set when the commit fails (SERIALIZABLE may refuse one).
  bool commit();

  /// The level in force ("REPEATABLE READ"), or "" when the driver offers no transactions.
  std::string level() const;
  /// True when the level gives one snapshot (REPEATABLE READ or SERIALIZABLE).
  bool snapshot() const;
  /// Whether the driver accepted SQL_MODE_READ_ONLY (it may still not enforce it).
  bool readOnly() const { return read_only_; }

  const Diagnostic& error() const { return error_; }

 private:
  bool fail();

  SQLHDBC dbc_;
  std::optional<SQLUINTEGER> level_;
  bool open_ = false;
  bool read_only_ = false;
  Diagnostic error_;
};

}  // namespace mobisync::plugins::odbc
