// SPDX-License-Identifier: Apache-2.0
// Where the state lives (SQLite file or PostgreSQL url) and the SQL dialect of its session.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Data/Session.h>

#include "values/postgres_url.hpp"

namespace mobisync::state {

/// The two state backends. Every SQL string in state/ is written once, with `?` placeholders,
/// in the subset both understand; sqlFor() adapts it to the session's dialect.
enum class Dialect { Sqlite, Postgres };

/// Where the state is kept: a SQLite file (`path`) or a PostgreSQL database (`url`, given
/// without a password, with the password beside it). Value type.
struct StateLocation {
  std::string path;      ///< SQLite file, ":memory:" for tests; used when url is empty
  std::string url;       ///< postgresql://user@host:port/database[?param=value&...]
  std::string password;  ///< PostgreSQL only; never printed

  /// How errors and `state show` name the state: the path, or the url (which has no password).
  const std::string& display() const { return url.empty() ? path : url; }
  Dialect dialect() const { return url.empty() ? Dialect::Sqlite : Dialect::Postgres; }
};

/// The sslmode used when a url names none: "verify-full" (certificate and host name checked)
/// for a server on another machine, libpq's "prefer" for loopback and Unix sockets.
std::string defaultSslMode(const std::string& host);

/// Opens the state's session: SQLite as openSqliteSession() does, PostgreSQL with verbose
/// error fields (so errors carry the SQLSTATE) and a lock timeout like SQLite's busy timeout.
/// A SQLite file is created only where no file exists; an empty or foreign file is refused
/// (StateFileRefused, see sqlite_state_file.hpp).
/// Throws StateError naming the location (never the password) when it cannot be opened.
Poco::Data::Session openStateSession(const StateLocation& where);

/// The dialect of an open session, from its Poco connector.
Dialect dialectOf(const Poco::Data::Session& session);

/// `sql` for `dialect`: PostgreSQL's connector takes `$1..$n` where SQLite takes `?`. A `?`
/// inside a quoted literal or identifier is left alone.
std::string sqlFor(Dialect dialect, std::string_view sql);
inline std::string sqlFor(const Poco::Data::Session& session, std::string_view sql) {
  return sqlFor(dialectOf(session), sql);
}

/// How a write transaction begins: SQLite takes the write lock up front (IMMEDIATE), PostgreSQL
/// locks rows as they are written.
std::string_view beginWriteSql(Dialect dialect);

}  // namespace mobisync::state
