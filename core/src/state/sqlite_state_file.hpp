// SPDX-License-Identifier: Apache-2.0
// The SQLite state file: which file mobisync takes for its own, and how a new one is created.
#pragma once

#include <string>

#include <Poco/Data/Session.h>

#include "state/state_error.hpp"

namespace mobisync::state {

/// A file at the state path that mobisync will not take for its state (empty, not a regular
/// file, not an SQLite database, or an SQLite database without mobisync's tables). The message
/// says what the file is, that it is left alone, and how to proceed. Not retryable.
class StateFileRefused : public StateError {
 public:
  using StateError::StateError;
};

/// Makes sure `path` holds a file mobisync may open as its state, before anything opens it:
/// where no file exists, creates a new state there atomically (built under a temporary name and
/// linked into place, so the path never holds a half-made state and a file another process put
/// there first is never replaced). An existing file must be a non-empty regular file that starts
/// with the SQLite header. Throws StateFileRefused, or StateError when the new state cannot be
/// created.
void prepareStateFile(const std::string& path);

/// Refuses (StateFileRefused) an opened SQLite database that lacks mobisync's mark, the
/// schema_migrations table, which every state mobisync ever created has from its first open.
void checkStateMark(Poco::Data::Session& session, const std::string& path);

}  // namespace mobisync::state
