// SPDX-License-Identifier: Apache-2.0
// WriteTransaction: RAII write transaction that rolls back unless committed.
#pragma once

#include <string>

#include <Poco/Data/Session.h>

#include "state/state_session.hpp"

namespace mobisync::state {

/// Begins a write transaction on construction (spelled for the session's dialect, see
/// beginWriteSql); the destructor rolls back unless commit() ran.
/// Borrows the session, which must outlive it. Not thread-safe, like the session.
class WriteTransaction {
 public:
  explicit WriteTransaction(Poco::Data::Session& session) : session_(session) {
    using Poco::Data::Keywords::now;
    session_ << std::string(beginWriteSql(dialectOf(session_))), now;
  }
  ~WriteTransaction() {
    if (!committed_) {
      using Poco::Data::Keywords::now;
      try {
        session_ << "ROLLBACK", now;
      } catch (...) {  // NOLINT(bugprone-empty-catch)
        // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR), PostgreSQL's
        // connection may be gone; the error that brought us here is the one worth reporting.
      }
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit() {
    using Poco::Data::Keywords::now;
    session_ << "COMMIT", now;
    committed_ = true;
  }

 private:
  Poco::Data::Session& session_;
  bool committed_ = false;
};

}  // namespace mobisync::state
