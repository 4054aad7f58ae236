// SPDX-License-Identifier: Apache-2.0
// OdbcSource: the ODBC source plugin's logic (config, connection, batched fetch, rows to Contacts).
#pragma once

#include <sql.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Logger.h>

#include "mobisync/plugin/plugin.hpp"
#include "block_reader.hpp"
#include "cursor_value.hpp"
#include "odbc_errors.hpp"
#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

// Defaults, shared by the schema table (what users see) and init() (what tests that build a
// ConfigValues by hand get), so the two cannot drift apart.
inline constexpr const char* kDefaultMsisdnColumn = "msisdn";
inline constexpr const char* kDefaultNameColumn = "name";
inline constexpr const char* kDefaultReferenceColumn = "reference";
inline constexpr const char* kDefaultApplicationsColumn = "applications";
inline constexpr const char* kDefaultApplicationsSeparator = ";";
inline constexpr const char* kDefaultBatchSize = "1000";
inline constexpr const char* kDefaultLoginTimeout = "30";
inline constexpr const char* kDefaultMode = "snapshot";

/// The keys of `mode = "incremental"`; `where_*` name them in errors.
struct IncrementalConfig {
  bool enabled = false;
  std::string cursor_column;
  CursorType cursor_type = CursorType::Integer;
  std::string tombstone_column;
  std::string deletions_query;
  std::string where_cursor_column = "cursor_column";
  std::string where_cursor_type = "cursor_type";
  std::string where_tombstone_column = "tombstone_column";
  std::string where_deletions_query = "deletions_query";
};

/// Runs one query through unixODBC and yields a Contact per row, fetching `batch_size` rows at a
/// time into bound column buffers (BlockReader) so memory stays bounded by the batch; Poco::Data
/// opens and closes the connection. init()
/// checks the configuration and registers the ODBC connector; each fetch() connects, reads and
/// disconnects. The queries of one fetch run in one read-only transaction (ReadTransaction), so
/// they read one snapshot where the driver offers REPEATABLE READ or SERIALIZABLE. Rows that
/// cannot become a Contact go to sink.rejectWithNumber() when their number cell was read, else
/// to sink.reject(); connection, query and mapping failures are returned as a failed Status, so
/// the engine removes nothing.
/// In incremental mode the query takes the stored cursor as its one `?`: it reads the changes
/// from that cursor on (ContactSink's incremental protocol), tombstones deleted rows and reports
/// the highest cursor value read; without a stored cursor it binds the type's lowest value and
/// reads everything as a snapshot.
/// Created by the plugin descriptor; one thread at a time; never throws.
class OdbcSource final : public plugin::Source {
 public:
  Status init(const plugin::Context& context) override;
  Status fetch(plugin::ContactSink& sink) override;
  void shutdown() noexcept override;

  /// What the source calls itself in messages: the DSN or the connection string, never the
  /// password. Set by init().
  const std::string& label() const { return label_; }
  /// The connection string handed to the driver manager (holds the password). Set by init().
  const std::string& connectionString() const { return connection_string_; }

 private:
  Status initConfig(const plugin::ConfigValues& config);
  Status fetchRows(plugin::ContactSink& sink);
  Status initIncremental(const plugin::ConfigValues& config);
  Status failure(const std::string& what, const std::exception& e) const;
  Status failure(const std::string& what, const Diagnostic& d) const;
  /// The normal-form cursor to read from, or nullopt for a full read.
  std::optional<std::string> startingCursor(const plugin::ContactSink& sink) const;
  Status readDeletions(SQLHDBC dbc, const std::string& from, plugin::ContactSink& sink);
  /// Logs the isolation the read runs at (debug), or once per instance (warning) that the
  /// driver offers nothing that makes it one snapshot.
  void logIsolation(const std::string& level, bool snapshot);

  /// One query to read: the main one or the deletions query.
  struct QueryRead {
    std::string sql;
    std::string name;          ///< "the query": failures before the first row say "<name> failed"
    std::string failed_after;  ///< "fetching rows failed": later failures add " after row N"
    std::optional<CursorParameter> parameter;
    std::function<Status(const std::vector<std::string>&)> on_columns;
    /// Each row with its number from 1; `problem` is set when the row could not be read whole.
    std::function<Status(const std::vector<Cell>&, std::uint64_t, const RowProblem* problem)>
        on_row;
  };
  /// The one fetch loop: runs `read.sql` and hands on its columns, then each row.
  Status readQuery(SQLHDBC dbc, const QueryRead& read);

  bool initialised_ = false;
  bool registered_ = false;
  Poco::Logger* logger_ = nullptr;

  std::string label_;
  std::string connection_string_;
  std::string password_;  // only to scrub messages a driver might echo it in
  std::string query_;
  std::size_t batch_size_ = 1000;
  std::size_t login_timeout_ = 30;
  MappingConfig mapping_;
  IncrementalConfig incremental_;
  bool warned_isolation_ = false;
};

}  // namespace mobisync::plugins::odbc
