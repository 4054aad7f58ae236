// SPDX-License-Identifier: Apache-2.0
// WriteTransaction: RAII write transaction that rolls back unless committed.
#pragma once

#include <Poco/Data/Session.h>

namespace mobisync::state {

/// Begins a write transaction on construction; the destructor rolls back unless commit() ran.
/// Borrows the session, which must outlive it. Not thread-safe, like the session.
class WriteTransaction {
 public:
  explicit WriteTransaction(Poco::Data::Session& session) : session_(session) {
    using Poco::Data::Keywords::now;
    // IMMEDIATE takes the write lock up front, so the busy timeout covers the wait for it. A
    // deferred transaction that reads first and then writes gets SQLITE_BUSY at once instead of
    // waiting, which would turn a short overlap with another process into a failed batch.
    // TODO(state): the PostgreSQL backend (issue 8) spells this "BEGIN".
    session_ << "BEGIN IMMEDIATE", now;
  }
  ~WriteTransaction() {
    if (!committed_) {
      using Poco::Data::Keywords::now;
      try {
        session_ << "ROLLBACK", now;
      } catch (...) {  // NOLINT(bugprone-empty-catch)
        // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR); the error
        // that brought us here is the one worth reporting.
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
