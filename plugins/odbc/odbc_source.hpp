// SPDX-License-Identifier: Apache-2.0
// OdbcSource: the ODBC source plugin's logic (one read: connect, one transaction, disconnect).
#pragma once

#include <sql.h>

#include <exception>
#include <optional>
#include <string>

#include <Poco/Logger.h>

#include "mobisync/plugin/plugin.hpp"
#include "odbc_errors.hpp"
#include "odbc_options.hpp"

namespace mobisync::plugins::odbc {

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
class OdbcSource final : public plugin::Source, public plugin::Probe {
 public:
  Status init(const plugin::Context& context) override;
  Status fetch(plugin::ContactSink& sink) override;
  void shutdown() noexcept override;
  /// odbc_probe.cpp: connect and fetch at most one row of the query in a read-only transaction,
  /// each bounded by login_timeout.
  std::vector<plugin::ProbeResult> probe() override;

  /// What the source calls itself in messages: the DSN or the connection string, never the
  /// password. Set by init().
  const std::string& label() const { return options_.label; }
  /// The connection string handed to the driver manager (holds the password). Set by init().
  const std::string& connectionString() const { return options_.connection_string; }

 private:
  Status fetchRows(plugin::ContactSink& sink);
  Status failure(const std::string& what, const std::exception& e) const;
  Status failure(const std::string& what, const Diagnostic& d) const;
  /// The normal-form cursor to read from, or nullopt for a full read.
  std::optional<std::string> startingCursor(const plugin::ContactSink& sink) const;
  /// Logs the isolation the read runs at (debug), or once per instance (warning) that the
  /// driver offers nothing that makes it one snapshot.
  void logIsolation(const std::string& level, bool snapshot);

  bool initialised_ = false;
  bool registered_ = false;
  Poco::Logger* logger_ = nullptr;
  Options options_;
  bool warned_isolation_ = false;
};

}  // namespace mobisync::plugins::odbc
