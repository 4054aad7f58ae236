// SPDX-License-Identifier: Apache-2.0
// WriteTransaction: RAII write transaction that rolls back unless committed.
#pragma once

#include <string>

#include <Poco/Data/Session.h>

#include "state/state_session.hpp"

namespace mobisync::state {

/// Begins a write transaction on construction (spelled for the session's dialect, see
/// beginWriteSql); the destructor rolls back unless commit() ran.
///
/// A WriteTransaction opened while another is open on the same session, in the same thread,
/// joins it: it begins nothing and commits nothing, and the outer one decides. That lets a
/// caller make two writes that each open their own transaction atomic together (a batch of
/// confirmed changes and the messages they cause), without a second API for "already inside a
/// transaction". An inner write that fails throws; the outer one then rolls back everything.
/// Borrows the session, which must outlive it. Not thread-safe, like the session.
class WriteTransaction {
 public:
  explicit WriteTransaction(Poco::Data::Session& session)
      : session_(session), joined_(isOpen(session)) {
    if (joined_) return;
    using Poco::Data::Keywords::now;
    session_ << std::string(beginWriteSql(dialectOf(session_))), now;
    outer_ = open();
    open() = session_.impl();
  }
  ~WriteTransaction() {
    if (joined_ || committed_) return;
    open() = outer_;
    using Poco::Data::Keywords::now;
    try {
      session_ << "ROLLBACK", now;
    } catch (...) {  // NOLINT(bugprone-empty-catch)
      // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR), PostgreSQL's
      // connection may be gone; the error that brought us here is the one worth reporting.
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit() {
    if (!joined_) {
      using Poco::Data::Keywords::now;
      session_ << "COMMIT", now;
      open() = outer_;
    }
    committed_ = true;
  }

 private:
  /// The session whose transaction this thread has open most recently (a transaction on
  /// another session restores it when it ends).
  static const void*& open() {
    thread_local const void* session = nullptr;
    return session;
  }
  static bool isOpen(Poco::Data::Session& session) { return open() == session.impl(); }

  Poco::Data::Session& session_;
  bool joined_ = false;
  bool committed_ = false;
  const void* outer_ = nullptr;  ///< open() before this one began
};

}  // namespace mobisync::state
