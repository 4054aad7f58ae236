// SPDX-License-Identifier: Apache-2.0
// The versioned schema of the state database and the code that brings a database up to it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "state/state_session.hpp"

namespace mobisync::state {

/// One step of the schema. Versions start at 1 and increase by one; a released migration is never
/// edited, only followed by a new one. Statements are plain SQL that PostgreSQL also accepts, one
/// statement per entry so no driver has to split scripts. Where the dialects differ a statement
/// holds a placeholder that renderMigrationSql() spells per dialect: `{clustered}` after a
/// CREATE TABLE (stored in primary-key order: SQLite's WITHOUT ROWID), `{id}` for an
/// auto-numbered BIGINT primary key named id, and `{bytewise}` after a TEXT type whose order
/// must be byte order (PostgreSQL's COLLATE "C").
struct Migration {
  int version;
  std::string_view description;
  std::span<const std::string_view> statements;
};

/// `sql` with its placeholders spelled for `dialect`.
std::string renderMigrationSql(std::string_view sql, Dialect dialect);

/// The migrations this build knows, oldest first.
std::span<const Migration> migrations();

/// The version of the last entry of migrations().
int latestSchemaVersion();

/// The highest version recorded in schema_migrations, 0 for a database never migrated.
/// Creates the schema_migrations table if it is missing.
int recordedSchemaVersion(Poco::Data::Session& session);

/// Applies every migration of `list` newer than the database's version, each in its own write
/// transaction, and returns the resulting version. Throws StateError naming `path` when the
/// database is newer than `list` or a migration fails (that migration is rolled back; earlier
/// ones stay applied). Safe against another process migrating the same file at the same time.
int migrate(Poco::Data::Session& session, const std::string& path,
            std::span<const Migration> list = migrations());

}  // namespace mobisync::state
