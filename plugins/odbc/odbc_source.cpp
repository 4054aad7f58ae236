// SPDX-License-Identifier: Apache-2.0
// OdbcSource: the ODBC source plugin's logic (one read: connect, one transaction, disconnect).
#include "odbc_source.hpp"

#include <exception>
#include <utility>

#include <sql.h>
#include <sqlext.h>

#include <Poco/Data/ODBC/Connector.h>
#include <Poco/Data/ODBC/SessionImpl.h>
#include <Poco/Data/Session.h>

#include "contact_rows.hpp"
#include "mobisync/plugin/guarded.hpp"
#include "mobisync/text.hpp"
#include "odbc_session.hpp"
#include "read_transaction.hpp"

namespace mobisync::plugins::odbc {

Status OdbcSource::init(const plugin::Context& context) {
  logger_ = &context.logger;
  initialised_ = false;
  Status status = plugin::guarded(
      "odbc: init failed",
      [&] {
        if (Status read = plugin::assignTo(options_, readOptions(context.config)); !read) {
          return read;
        }
        // Poco's SessionFactory counts registrations, so every instance registers once and
        // shutdown() takes its own back.
        Poco::Data::ODBC::Connector::registerConnector();
        registered_ = true;
        return Status::ok();
      },
      [&](std::string message) { return redact(std::move(message), options_.password); });
  initialised_ = status.isOk();
  return status;
}

void OdbcSource::shutdown() noexcept {
  initialised_ = false;
  logger_ = nullptr;
  if (registered_) {
    try {
      Poco::Data::ODBC::Connector::unregisterConnector();
    } catch (...) {
      // Nothing to undo: the factory had already dropped it.
    }
    registered_ = false;
  }
}

Status OdbcSource::fetch(plugin::ContactSink& sink) {
  if (!initialised_) {
    return Status::internal("odbc: fetch() called without a successful init()");
  }
  try {
    return fetchRows(sink);
  } catch (const std::exception& e) {
    return failure("reading the query's rows failed", e);
  } catch (...) {
    return Status::internal("odbc: " + options_.label + ": reading failed: unknown exception");
  }
}

Status OdbcSource::failure(const std::string& what, const std::exception& e) const {
  return failure(what, diagnose(e));
}

Status OdbcSource::failure(const std::string& what, const Diagnostic& d) const {
  return sourceFailure(options_.label, options_.password, what, d);
}

std::optional<std::string> OdbcSource::startingCursor(const plugin::ContactSink& sink) const {
  if (!options_.incremental.enabled) {
    return std::nullopt;
  }
  const std::optional<plugin::Cursor> stored = sink.storedCursor();
  if (!stored) {
    return std::nullopt;
  }
  const char* type = cursorTypeName(options_.incremental.cursor_type);
  std::string error;
  std::optional<std::string> value;
  if (stored->type == type) {
    value = normaliseCursor(options_.incremental.cursor_type, stored->value, error);
  } else {
    error = "it is of type " + stored->type + ", not " + type;
  }
  if (!value && logger_ != nullptr) {
    // A changed cursor_type: reading everything once is always safe, so do that.
    logger_->warning("odbc: " + options_.label + ": the stored cursor is not usable (" + error +
                     "); reading everything this time");
  }
  return value;
}

SQLHDBC handleOf(Poco::Data::Session& session) {
  auto* impl = dynamic_cast<Poco::Data::ODBC::SessionImpl*>(session.impl());
  return impl == nullptr ? SQL_NULL_HDBC : impl->dbc().handle();
}

bool isPostgres(SQLHDBC dbc) {
  SQLCHAR name[64] = {};
  SQLSMALLINT length = 0;
  const SQLRETURN rc = SQLGetInfo(dbc, SQL_DBMS_NAME, name, sizeof name, &length);
  return SQL_SUCCEEDED(rc) && text::lowerAscii(reinterpret_cast<const char*>(name)) == "postgresql";
}

void OdbcSource::logIsolation(const std::string& level, bool snapshot) {
  if (logger_ == nullptr) {
    return;
  }
  // Logger::debug(), not poco_debug(): the macro logs nothing in a release build.
  if (snapshot) {
    if (logger_->debug()) {
      logger_->debug("odbc: " + options_.label + ": reading in one read-only transaction at " +
                     level);
    }
    return;
  }
  if (!level.empty() && logger_->debug()) {
    logger_->debug("odbc: " + options_.label + ": reading in one read-only transaction at " +
                   level + ", the strongest level the driver offers");
  }
  if (!warned_isolation_) {
    warned_isolation_ = true;
    logger_->warning("odbc: " + options_.label + ": the driver offers " +
                     (level.empty() ? std::string("no transactions")
                                    : "no isolation above " + level) +
                     ", so a read is not one snapshot: rows changed while it runs may be missed "
                     "or read twice (see plugins/odbc/README.md, Consistency)");
  }
}

Status OdbcSource::fetchRows(plugin::ContactSink& sink) {
  using namespace Poco::Data::Keywords;
  std::optional<Poco::Data::Session> session;
  try {
    session.emplace("ODBC", options_.connection_string, options_.login_timeout);
  } catch (const std::exception& e) {
    return failure("cannot connect", e);
  }
  const SQLHDBC dbc = handleOf(*session);
  if (dbc == SQL_NULL_HDBC) {
    return Status::internal("odbc: " + options_.label + ": the session is not an ODBC connection");
  }
  const bool postgres = isPostgres(dbc);
  if (options_.incremental.enabled && options_.incremental.cursor_type == CursorType::Timestamp &&
      postgres) {
    try {
      // psqlODBC hands timestamps over in the session's time zone without the offset; in UTC
      // they compare and bind the same whatever the server's or the client's zone.
      *session << "SET TIME ZONE 'UTC'", now;
    } catch (const std::exception& e) {
      return failure("cannot set the session time zone to UTC", e);
    }
  }
  if (postgres) {
    try {
      // psqlODBC accepts SQL_MODE_READ_ONLY and ignores it; the server enforces this instead.
      *session << "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", now;
    } catch (const std::exception& e) {
      return failure("cannot make the session read-only", e);
    }
  }
  // After the session settings above, which commit on their own: the level can only change
  // while no transaction is open.
  ReadTransaction transaction(dbc);
  if (!transaction.begin()) {
    return failure("cannot start a read-only transaction", transaction.error());
  }
  logIsolation(transaction.level(), transaction.snapshot());

  const std::optional<std::string> from = startingCursor(sink);
  if (from) {
    sink.markIncremental();
  }

  ContactCounts counts;
  if (Status s = readContacts(dbc, options_, from, sink, counts); !s) {
    return s;
  }

  if (from && !options_.incremental.deletions_query.empty()) {
    if (Status s = readDeletions(dbc, options_, *from, sink); !s) {
      return s;
    }
  }
  if (!transaction.commit()) {
    return failure("ending the read's transaction failed", transaction.error());
  }
  // Only the main query moves the cursor: a deletion read after it must not let the cursor jump
  // past a change committed between the two queries.
  if (counts.highest) {
    sink.reportCursor(
        plugin::Cursor{*counts.highest, cursorTypeName(options_.incremental.cursor_type)});
  }
  if (logger_ != nullptr && logger_->debug()) {
    logger_->debug("odbc: " + options_.label + ": read " + std::to_string(counts.rows) +
                   " rows" + (from ? " changed since the cursor: " : ": ") +
                   std::to_string(counts.accepted) + " contacts, " +
                   std::to_string(counts.rejected) + " rejected, " +
                   std::to_string(counts.skipped) + " skipped, " +
                   std::to_string(counts.tombstones) + " tombstones");
  }
  return Status::ok();
}

}  // namespace mobisync::plugins::odbc
