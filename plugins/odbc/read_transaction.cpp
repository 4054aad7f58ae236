// SPDX-License-Identifier: Apache-2.0
// ReadTransaction: one read-only transaction at the strongest isolation the driver offers.
#include "read_transaction.hpp"

#include <sqlext.h>

#include <cstdint>

namespace mobisync::plugins::odbc {

namespace {

SQLPOINTER asPointer(SQLULEN value) {
  return reinterpret_cast<SQLPOINTER>(static_cast<std::uintptr_t>(value));
}

}  // namespace

std::optional<SQLUINTEGER> chooseIsolation(SQLUINTEGER offered) {
  for (const SQLUINTEGER level : {static_cast<SQLUINTEGER>(SQL_TXN_REPEATABLE_READ),
                                  static_cast<SQLUINTEGER>(SQL_TXN_SERIALIZABLE),
                                  static_cast<SQLUINTEGER>(SQL_TXN_READ_COMMITTED),
                                  static_cast<SQLUINTEGER>(SQL_TXN_READ_UNCOMMITTED)}) {
    if ((offered & level) != 0) {
      return level;
    }
  }
  return std::nullopt;
}

const char* isolationName(SQLUINTEGER level) {
  switch (level) {
    case SQL_TXN_READ_UNCOMMITTED:
      return "READ UNCOMMITTED";
    case SQL_TXN_READ_COMMITTED:
      return "READ COMMITTED";
    case SQL_TXN_REPEATABLE_READ:
      return "REPEATABLE READ";
    case SQL_TXN_SERIALIZABLE:
      return "SERIALIZABLE";
    default:
      return "an unknown level";
  }
}

ReadTransaction::~ReadTransaction() {
  if (open_) {
    // A read that stopped early: nothing was written, so rolling back loses nothing.
    SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
  }
  // Leave the connection as Poco opened it, in case a driver manager pools it.
  if (read_only_) {
    SQLSetConnectAttr(dbc_, SQL_ATTR_ACCESS_MODE, asPointer(SQL_MODE_READ_WRITE), SQL_IS_UINTEGER);
  }
  if (level_) {
    SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, asPointer(SQL_AUTOCOMMIT_ON), SQL_IS_UINTEGER);
  }
}

bool ReadTransaction::fail() {
  error_ = diagnoseHandle(SQL_HANDLE_DBC, dbc_);
  return false;
}

bool ReadTransaction::begin() {
  SQLUSMALLINT capable = SQL_TC_NONE;
  SQLUINTEGER offered = 0;
  if (!SQL_SUCCEEDED(SQLGetInfo(dbc_, SQL_TXN_CAPABLE, &capable, sizeof capable, nullptr)) ||
      capable == SQL_TC_NONE ||
      !SQL_SUCCEEDED(
          SQLGetInfo(dbc_, SQL_TXN_ISOLATION_OPTION, &offered, sizeof offered, nullptr))) {
    return true;  // no transactions: the caller warns that the read is not one snapshot
  }
  const std::optional<SQLUINTEGER> level = chooseIsolation(offered);
  if (!level) {
    return true;
  }
  // The level must be set while no transaction is open, so before autocommit goes off.
  if (!SQL_SUCCEEDED(
          SQLSetConnectAttr(dbc_, SQL_ATTR_TXN_ISOLATION, asPointer(*level), SQL_IS_UINTEGER))) {
    return fail();
  }
  read_only_ = SQL_SUCCEEDED(SQLSetConnectAttr(dbc_, SQL_ATTR_ACCESS_MODE,
                                               asPointer(SQL_MODE_READ_ONLY), SQL_IS_UINTEGER));
  level_ = level;
  if (!SQL_SUCCEEDED(SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, asPointer(SQL_AUTOCOMMIT_OFF),
                                       SQL_IS_UINTEGER))) {
    return fail();
  }
  open_ = true;
  return true;
}

bool ReadTransaction::commit() {
  if (!open_) {
    return true;
  }
  if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_COMMIT))) {
    return fail();  // still open: the destructor rolls it back
  }
  open_ = false;
  return true;
}

std::string ReadTransaction::level() const { return level_ ? isolationName(*level_) : ""; }

bool ReadTransaction::snapshot() const {
  return level_ && (*level_ == SQL_TXN_REPEATABLE_READ || *level_ == SQL_TXN_SERIALIZABLE);
}

}  // namespace mobisync::plugins::odbc
