// SPDX-License-Identifier: Apache-2.0
// Connector registration and per-connection pragmas for the SQLite state database.
#include "state/sqlite_session.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>

#include "state/state_error.hpp"

namespace mobisync::state {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

void registerSqliteOnce() {
  // Poco's SessionFactory is process-wide. A magic static makes the first registration race-free,
  // and we never unregister: another session may be open until the process exits.
  static const bool registered = [] {
    Poco::Data::SQLite::Connector::registerConnector();
    return true;
  }();
  (void)registered;
}

}  // namespace

Poco::Data::Session openSqliteSession(const std::string& path) {
  registerSqliteOnce();
  // Login timeout 0: Poco retries a failed open until that timeout runs out, and a file that
  // cannot be opened does not become openable by waiting. It also sets the busy timeout to 0,
  // which the pragma below replaces.
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, path, 0);
  session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs), now;
  session << "PRAGMA foreign_keys = ON", now;
  std::string mode;
  session << "PRAGMA journal_mode = WAL", into(mode), now;
  // An in-memory database reports "memory": it has no journal file to speak of.
  if (mode != "wal" && path != ":memory:") {
    throw StateError("state " + path + ": cannot enable WAL journal mode (journal mode is " +
                     mode + ")");
  }
  // With WAL, NORMAL may lose the last commits on power failure but never corrupts the file;
  // FULL would fsync every batch the applier records.
  session << "PRAGMA synchronous = NORMAL", now;
  return session;
}

}  // namespace mobisync::state
