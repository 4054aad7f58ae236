// SPDX-License-Identifier: Apache-2.0
// Opens a Poco::Data SQLite session configured the way the state store relies on.
#pragma once

#include <string>

#include <Poco/Data/Session.h>

namespace mobisync::state {

/// How long a write waits for another connection's lock before failing as busy.
inline constexpr int kBusyTimeoutMs = 5000;

/// Opens (creating if missing) the SQLite database at `path` (":memory:" for a private in-memory
/// one) with WAL journal, synchronous=NORMAL, foreign keys and the busy timeout set. Registers the
/// SQLite connector with Poco once per process. Throws Poco or StateError exceptions; the caller
/// adds what it was doing.
Poco::Data::Session openSqliteSession(const std::string& path);

}  // namespace mobisync::state
