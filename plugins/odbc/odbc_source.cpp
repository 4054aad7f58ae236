// SPDX-License-Identifier: Apache-2.0
// OdbcSource: the ODBC source plugin's logic (config, connection, batched fetch, rows to Contacts).
#include "odbc_source.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <set>

#include <sql.h>
#include <sqlext.h>

#include <Poco/Data/ODBC/Connector.h>
#include <Poco/Data/ODBC/SessionImpl.h>
#include <Poco/Data/Session.h>

#include "block_reader.hpp"
#include "mobisync/text.hpp"
#include "odbc_errors.hpp"
#include "read_transaction.hpp"

namespace mobisync::plugins::odbc {

namespace {

constexpr std::int64_t kMaxBatchSize = 1'000'000;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// ODBC attribute values holding ';', '{' or '}' must be braced, with '}' doubled. psqlODBC also
// URL-decodes an unbraced value ('+' becomes a space, "%41" an 'A'), so those are braced too.
std::string attributeValue(const std::string& value) {
  if (value.find_first_of(";{}= +%") == std::string::npos) {
    return value;
  }
  std::string out = "{";
  for (const char c : value) {
    out += c;
    if (c == '}') {
      out += '}';
    }
  }
  out += '}';
  return out;
}

}  // namespace

Status OdbcSource::init(const plugin::Context& context) {
  initialised_ = false;
  try {
    logger_ = &context.logger;
    Status status = initConfig(context.config);
    if (!status) {
      return status;
    }
    // Poco's SessionFactory counts registrations, so every instance registers once and
    // shutdown() takes its own back.
    Poco::Data::ODBC::Connector::registerConnector();
    registered_ = true;
    initialised_ = true;
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::internal("odbc: init failed: " + redact(e.what(), password_));
  } catch (...) {
    return Status::internal("odbc: init failed: unknown exception");
  }
}

Status OdbcSource::initConfig(const plugin::ConfigValues& config) {
  const std::string dsn = config.string("dsn");
  const std::string connection = config.string("connection_string");
  if (dsn.empty() == connection.empty()) {
    return Status::invalidConfig(
        (dsn.empty() ? config.where("dsn") : config.where("connection_string")) +
        ": set exactly one of dsn (a data source from odbc.ini) and connection_string "
        "(e.g. \"Driver={PostgreSQL Unicode};Server=db;Database=crm\")");
  }
  password_ = config.string("password");
  const std::string username = config.string("username");
  if (!dsn.empty()) {
    connection_string_ = "DSN=" + attributeValue(dsn);
    label_ = "DSN " + dsn;
  } else {
    connection_string_ = connection;
    while (!connection_string_.empty() && connection_string_.back() == ';') {
      connection_string_.pop_back();
    }
    label_ = withoutPassword(connection_string_);
  }
  const std::string lowered = lower(connection_string_);
  if (!username.empty()) {
    connection_string_ += ";UID=" + attributeValue(username);
  }
  if (!password_.empty()) {
    if (lowered.find("pwd=") != std::string::npos ||
        lowered.find("password=") != std::string::npos) {
      return Status::invalidConfig(config.where("connection_string") +
                                   ": holds a password; set password_env or password_file "
                                   "instead so it stays out of the config");
    }
    connection_string_ += ";PWD=" + attributeValue(password_);
  }

  query_ = config.string("query");
  if (query_.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::invalidConfig(config.where("query") +
                                 ": is required (the SELECT that returns the contacts)");
  }

  const std::int64_t batch = config.integer("batch_size", std::stoll(kDefaultBatchSize));
  if (batch < 1 || batch > kMaxBatchSize) {
    return Status::invalidConfig(config.where("batch_size") + ": must be 1 to " +
                                 std::to_string(kMaxBatchSize) + ", got " +
                                 std::to_string(batch));
  }
  batch_size_ = static_cast<std::size_t>(batch);
  // psqlODBC reads the whole result into memory unless told to use a cursor; the batch size is
  // what keeps memory bounded, so ask for it when the connection string names that driver.
  if (!dsn.empty() || lowered.find("postgresql") == std::string::npos ||
      lowered.find("usedeclarefetch") != std::string::npos) {
    // nothing to add
  } else {
    connection_string_ += ";UseDeclareFetch=1;Fetch=" + std::to_string(batch_size_);
  }

  const std::int64_t timeout = config.integer("login_timeout", std::stoll(kDefaultLoginTimeout));
  if (timeout < 1 || timeout > 3600) {
    return Status::invalidConfig(config.where("login_timeout") + ": must be 1 to 3600 seconds");
  }
  login_timeout_ = static_cast<std::size_t>(timeout);

  mapping_ = MappingConfig{};
  mapping_.msisdn_column = config.string("msisdn_column", kDefaultMsisdnColumn);
  if (mapping_.msisdn_column.empty()) {
    return Status::invalidConfig(config.where("msisdn_column") +
                                 ": must name the column that holds phone numbers");
  }
  mapping_.name_column = config.string("name_column", kDefaultNameColumn);
  mapping_.reference_column = config.string("reference_column", kDefaultReferenceColumn);
  mapping_.applications_column =
      config.string("applications_column", kDefaultApplicationsColumn);
  mapping_.optional_name = mapping_.name_column == kDefaultNameColumn;
  mapping_.optional_reference = mapping_.reference_column == kDefaultReferenceColumn;
  mapping_.optional_applications = mapping_.applications_column == kDefaultApplicationsColumn;
  mapping_.applications_separator =
      config.string("applications_separator", kDefaultApplicationsSeparator);
  if (mapping_.applications_separator.empty()) {
    return Status::invalidConfig(config.where("applications_separator") + ": must not be empty");
  }

  mapping_.rule_column = config.string("rule_column");
  const std::vector<std::string> rules = config.list("application_rules");
  if (mapping_.rule_column.empty() != rules.empty()) {
    return Status::invalidConfig(
        (rules.empty() ? config.where("rule_column") : config.where("application_rules")) +
        ": rule_column and application_rules go together (rules map the column's values to "
        "application tokens)");
  }
  std::set<std::string> seen_values;
  for (const std::string& text : rules) {
    std::string error;
    std::optional<ApplicationRule> rule = parseRule(text, error);
    if (!rule) {
      return Status::invalidConfig(config.where("application_rules") + ": " + error);
    }
    if (!seen_values.insert(rule->value).second) {
      return Status::invalidConfig(config.where("application_rules") + ": value \"" +
                                   rule->value + "\" has two rules");
    }
    mapping_.rules.push_back(std::move(*rule));
  }
  if (!mapping_.rule_column.empty()) {
    // Rules decide the tokens; a default applications column must not compete with them.
    if (!mapping_.optional_applications) {
      return Status::invalidConfig(config.where("applications_column") +
                                   ": cannot be used with rule_column; choose one");
    }
    mapping_.applications_column.clear();
  }

  mapping_.attributes_set = config.has("attributes");
  mapping_.attributes = config.list("attributes");
  std::set<std::string> seen;
  for (const std::string& name : mapping_.attributes) {
    if (name.empty() || !seen.insert(name).second) {
      return Status::invalidConfig(config.where("attributes") +
                                   ": holds an empty or repeated column name");
    }
  }
  mapping_.where_msisdn = config.where("msisdn_column");
  mapping_.where_name = config.where("name_column");
  mapping_.where_reference = config.where("reference_column");
  mapping_.where_applications = config.where("applications_column");
  mapping_.where_rule = config.where("rule_column");
  mapping_.where_attributes = config.where("attributes");
  return initIncremental(config);
}

Status OdbcSource::initIncremental(const plugin::ConfigValues& config) {
  incremental_ = IncrementalConfig{};
  const std::string mode = config.string("mode", kDefaultMode);
  if (mode != "snapshot" && mode != "incremental") {
    return Status::invalidConfig(config.where("mode") + ": must be \"snapshot\" or "
                                 "\"incremental\", got \"" + mode + "\"");
  }
  incremental_.enabled = mode == "incremental";
  incremental_.cursor_column = config.string("cursor_column");
  incremental_.tombstone_column = config.string("tombstone_column");
  incremental_.deletions_query = config.string("deletions_query");
  incremental_.where_cursor_column = config.where("cursor_column");
  incremental_.where_cursor_type = config.where("cursor_type");
  incremental_.where_tombstone_column = config.where("tombstone_column");
  incremental_.where_deletions_query = config.where("deletions_query");
  if (!incremental_.enabled) {
    for (const char* key : {"cursor_column", "cursor_type", "tombstone_column", "deletions_query"}) {
      if (config.has(key)) {
        return Status::invalidConfig(config.where(key) + ": only applies with mode = "
                                     "\"incremental\" (" + config.where("mode") + " is \"" +
                                     mode + "\")");
      }
    }
    return Status::ok();
  }
  if (incremental_.cursor_column.empty()) {
    return Status::invalidConfig(config.where("mode") + ": \"incremental\" needs cursor_column "
                                 "(the column that grows with every change, e.g. updated_at)");
  }
  const std::string type = config.string("cursor_type");
  const std::optional<CursorType> parsed = parseCursorType(type);
  if (!parsed) {
    return Status::invalidConfig(config.where("cursor_type") +
                                 ": must be \"integer\", \"timestamp\" or \"text\"" +
                                 (type.empty() ? std::string(" (it is required with mode = "
                                                             "\"incremental\")")
                                               : ", got \"" + type + "\""));
  }
  incremental_.cursor_type = *parsed;
  const auto oneParameter = [&](const std::string& sql, const char* key) {
    const std::size_t n = countPlaceholders(sql);
    if (n == 1) {
      return Status::ok();
    }
    return Status::invalidConfig(
        config.where(key) + ": an incremental query takes the stored cursor as its one ? "
        "parameter (e.g. \"... WHERE updated_at >= ?\"; >= so rows tied with the cursor are "
        "never lost), found " + std::to_string(n));
  };
  if (Status s = oneParameter(query_, "query"); !s) {
    return s;
  }
  if (!incremental_.deletions_query.empty()) {
    if (Status s = oneParameter(incremental_.deletions_query, "deletions_query"); !s) {
      return s;
    }
  }
  mapping_.reserved_columns = {incremental_.cursor_column};
  if (!incremental_.tombstone_column.empty()) {
    mapping_.reserved_columns.push_back(incremental_.tombstone_column);
  }
  return Status::ok();
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
    return Status::internal("odbc: " + label_ + ": reading failed: unknown exception");
  }
}

Status OdbcSource::failure(const std::string& what, const std::exception& e) const {
  return failure(what, diagnose(e));
}

Status OdbcSource::failure(const std::string& what, const Diagnostic& d) const {
  std::string message = "odbc: " + label_ + ": " + what;
  if (!d.sqlstate.empty()) {
    message += ": SQLSTATE " + d.sqlstate;
  }
  if (!d.message.empty()) {
    message += ": " + d.message;
  }
  message = redact(std::move(message), password_);
  return isConnectionLoss(d) ? Status::unavailable(std::move(message))
                             : Status::io(std::move(message));
}

std::optional<std::string> OdbcSource::startingCursor(const plugin::ContactSink& sink) const {
  if (!incremental_.enabled) {
    return std::nullopt;
  }
  const std::optional<plugin::Cursor> stored = sink.storedCursor();
  if (!stored) {
    return std::nullopt;
  }
  const char* type = cursorTypeName(incremental_.cursor_type);
  std::string error;
  std::optional<std::string> value;
  if (stored->type == type) {
    value = normaliseCursor(incremental_.cursor_type, stored->value, error);
  } else {
    error = "it is of type " + stored->type + ", not " + type;
  }
  if (!value && logger_ != nullptr) {
    // A changed cursor_type: reading everything once is always safe, so do that.
    logger_->warning("odbc: " + label_ + ": the stored cursor is not usable (" + error +
                     "); reading everything this time");
  }
  return value;
}

namespace {

/// The connection's ODBC handle, for the statements the source runs itself.
SQLHDBC handleOf(Poco::Data::Session& session) {
  auto* impl = dynamic_cast<Poco::Data::ODBC::SessionImpl*>(session.impl());
  return impl == nullptr ? SQL_NULL_HDBC : impl->dbc().handle();
}

/// True when the connection is to PostgreSQL (SQLGetInfo SQL_DBMS_NAME).
bool isPostgres(SQLHDBC dbc) {
  SQLCHAR name[64] = {};
  SQLSMALLINT length = 0;
  const SQLRETURN rc = SQLGetInfo(dbc, SQL_DBMS_NAME, name, sizeof name, &length);
  return SQL_SUCCEEDED(rc) && lower(reinterpret_cast<const char*>(name)) == "postgresql";
}

/// Rejects `bad` pointing at the row's number when its cell was read, so the engine keeps that
/// number's subscriptions: a row wrong elsewhere must never unsubscribe its contact.
void rejectRow(plugin::ContactSink& sink, RejectedRow&& bad, const RowMapper& mapper,
               const std::vector<Cell>& row, const RowProblem* problem) {
  std::optional<std::string> number;
  if (problem == nullptr || problem->read(mapper.numberColumn())) {
    number = mapper.numberCell(row);
  }
  if (number) {
    sink.rejectWithNumber(std::move(bad), {std::move(*number)});
  } else {
    sink.reject(std::move(bad));
  }
}

}  // namespace

void OdbcSource::logIsolation(const std::string& level, bool snapshot) {
  if (logger_ == nullptr) {
    return;
  }
  // Logger::debug(), not poco_debug(): the macro logs nothing in a release build.
  if (snapshot) {
    if (logger_->debug()) {
      logger_->debug("odbc: " + label_ + ": reading in one read-only transaction at " + level);
    }
    return;
  }
  if (!level.empty() && logger_->debug()) {
    logger_->debug("odbc: " + label_ + ": reading in one read-only transaction at " + level +
                   ", the strongest level the driver offers");
  }
  if (!warned_isolation_) {
    warned_isolation_ = true;
    logger_->warning("odbc: " + label_ + ": the driver offers " +
                     (level.empty() ? std::string("no transactions")
                                    : "no isolation above " + level) +
                     ", so a read is not one snapshot: rows changed while it runs may be missed "
                     "or read twice (see plugins/odbc/README.md, Consistency)");
  }
}

Status OdbcSource::readQuery(SQLHDBC dbc, const QueryRead& read) {
  BlockReader reader(dbc, batch_size_);
  if (!reader.open(read.sql, read.parameter)) {
    return failure(read.name + " failed", reader.error());
  }
  if (Status s = read.on_columns(reader.columns()); !s) {
    return s;
  }
  std::vector<Cell> row(reader.columns().size());
  std::uint64_t row_number = 0;
  for (;;) {
    switch (reader.next(row)) {
      case BlockReader::Next::Row:
        if (Status s = read.on_row(row, ++row_number, nullptr); !s) {
          return s;
        }
        break;
      case BlockReader::Next::BadRow:
        if (Status s = read.on_row(row, ++row_number, &reader.problem()); !s) {
          return s;
        }
        break;
      case BlockReader::Next::End:
        return Status::ok();
      case BlockReader::Next::Failed:
        return failure(read.failed_after + " after row " + std::to_string(row_number),
                       reader.error());
    }
  }
}

Status OdbcSource::fetchRows(plugin::ContactSink& sink) {
  using namespace Poco::Data::Keywords;
  std::optional<Poco::Data::Session> session;
  try {
    session.emplace("ODBC", connection_string_, login_timeout_);
  } catch (const std::exception& e) {
    return failure("cannot connect", e);
  }
  const SQLHDBC dbc = handleOf(*session);
  if (dbc == SQL_NULL_HDBC) {
    return Status::internal("odbc: " + label_ + ": the session is not an ODBC connection");
  }
  const bool incremental = incremental_.enabled;
  const CursorType cursor_type = incremental_.cursor_type;
  const bool postgres = isPostgres(dbc);
  if (incremental && cursor_type == CursorType::Timestamp && postgres) {
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

  RowMapper mapper(mapping_);
  std::size_t msisdn_at = 0;
  std::size_t cursor_at = 0;
  std::optional<std::size_t> tombstone_at;
  std::optional<std::string> highest;
  std::uint64_t rows = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t skipped = 0;
  std::uint64_t tombstones = 0;
  Contact contact;
  RejectedRow bad;

  QueryRead read;
  read.sql = query_;
  read.name = "the query";
  read.failed_after = "fetching rows failed";
  if (incremental) {
    read.parameter = CursorParameter{cursor_type, from};
  }
  read.on_columns = [&](const std::vector<std::string>& names) {
    if (Status s = mapper.bind(names); !s) {
      return s;
    }
    if (!incremental) {
      return Status::ok();
    }
    if (Status s = mapper.locate(mapping_.msisdn_column, mapping_.where_msisdn, msisdn_at); !s) {
      return s;
    }
    if (Status s = mapper.locate(incremental_.cursor_column, incremental_.where_cursor_column,
                                 cursor_at);
        !s) {
      return s;
    }
    if (!incremental_.tombstone_column.empty()) {
      std::size_t at = 0;
      if (Status s = mapper.locate(incremental_.tombstone_column,
                                   incremental_.where_tombstone_column, at);
          !s) {
        return s;
      }
      tombstone_at = at;
    }
    return Status::ok();
  };
  read.on_row = [&](const std::vector<Cell>& row, std::uint64_t row_number,
                    const RowProblem* problem) {
    rows = row_number;
    if (problem != nullptr) {
      rejectRow(sink, RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                                  problem->reason},
                mapper, row, problem);
      ++rejected;
      return Status::ok();
    }
    if (incremental && !row[cursor_at].null) {
      std::string error;
      std::optional<std::string> value = normaliseCursor(cursor_type, row[cursor_at].text, error);
      if (!value) {
        // A cursor the source cannot order would lose or repeat changes: stop, store nothing.
        return Status::invalidConfig(incremental_.where_cursor_type + ": " +
                                     mapper.position(row, row_number) + ": cursor column \"" +
                                     mapper.columns()[cursor_at] + "\": " + error);
      }
      if (!highest || cursorAfter(cursor_type, *value, *highest)) {
        highest = std::move(value);
      }
    }
    if (tombstone_at) {
      const TombstoneFlag flag = tombstoneFlag(row[*tombstone_at]);
      if (flag == TombstoneFlag::Invalid) {
        // Neither live nor deleted for sure: keep the number's subscriptions.
        rejectRow(sink,
                  RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                              "tombstone column \"" + mapper.columns()[*tombstone_at] +
                                  "\" holds \"" + text::excerpt(row[*tombstone_at].text) +
                                  "\" (use true/false, 1/0, yes/no or NULL)"},
                  mapper, row, nullptr);
        ++rejected;
        return Status::ok();
      }
      if (flag == TombstoneFlag::Deleted) {
        // In a full read a deleted row is simply not wanted; the diff removes its pairs.
        if (!from) {
          ++skipped;
          return Status::ok();
        }
        const Cell& number = row[msisdn_at];
        if (number.null || number.text.find_first_not_of(" \t") == std::string::npos) {
          sink.reject(RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                                  "tombstone without an msisdn"});
          ++rejected;
          return Status::ok();
        }
        if (Status s = sink.tombstone(number.text, mapper.position(row, row_number)); !s) {
          return s;
        }
        ++tombstones;
        return Status::ok();
      }
    }
    switch (mapper.map(row, row_number, contact, bad)) {
      case RowMapper::Outcome::Contact:
        if (Status s = sink.accept(std::move(contact)); !s) {
          return s;
        }
        ++accepted;
        break;
      case RowMapper::Outcome::Rejected:
        // The mapper rejects a row for its number (NULL, blank: reject()) or for another cell
        // (no rule matches: rejectWithNumber()).
        rejectRow(sink, std::move(bad), mapper, row, nullptr);
        ++rejected;
        break;
      case RowMapper::Outcome::Skipped:
        ++skipped;
        break;
    }
    return Status::ok();
  };
  if (Status s = readQuery(dbc, read); !s) {
    return s;
  }

  if (from && !incremental_.deletions_query.empty()) {
    if (Status s = readDeletions(dbc, *from, sink); !s) {
      return s;
    }
  }
  if (!transaction.commit()) {
    return failure("ending the read's transaction failed", transaction.error());
  }
  // Only the main query moves the cursor: a deletion read after it must not let the cursor jump
  // past a change committed between the two queries.
  if (highest) {
    sink.reportCursor(plugin::Cursor{*highest, cursorTypeName(cursor_type)});
  }
  if (logger_ != nullptr && logger_->debug()) {
    logger_->debug("odbc: " + label_ + ": read " + std::to_string(rows) + " rows" +
                   (from ? " changed since the cursor: " : ": ") + std::to_string(accepted) +
                   " contacts, " + std::to_string(rejected) + " rejected, " +
                   std::to_string(skipped) + " skipped, " + std::to_string(tombstones) +
                   " tombstones");
  }
  return Status::ok();
}

Status OdbcSource::readDeletions(SQLHDBC dbc, const std::string& from,
                                 plugin::ContactSink& sink) {
  MappingConfig config;
  config.msisdn_column = mapping_.msisdn_column;
  config.reference_column = kDefaultReferenceColumn;
  config.optional_reference = true;
  config.attributes_set = true;
  config.where_msisdn = incremental_.where_deletions_query + ": " + mapping_.where_msisdn;
  RowMapper mapper(config);
  std::size_t msisdn_at = 0;

  QueryRead read;
  read.sql = incremental_.deletions_query;
  read.name = "the deletions query";
  read.failed_after = "the deletions query failed";
  read.parameter = CursorParameter{incremental_.cursor_type, from};
  read.on_columns = [&](const std::vector<std::string>& names) {
    if (Status s = mapper.bind(names); !s) {
      return s;
    }
    return mapper.locate(config.msisdn_column, config.where_msisdn, msisdn_at);
  };
  read.on_row = [&](const std::vector<Cell>& row, std::uint64_t row_number,
                    const RowProblem* problem) {
    std::string position = "deletions_query " + mapper.position(row, row_number);
    if (problem != nullptr) {
      // A deletion that cannot be read must not count as an unreadable contact; its number
      // simply keeps its subscriptions.
      rejectRow(sink, RejectedRow{std::move(position), mapper.raw(row), problem->reason},
                mapper, row, problem);
      return Status::ok();
    }
    const Cell& number = row[msisdn_at];
    if (number.null || number.text.find_first_not_of(" \t") == std::string::npos) {
      sink.reject(RejectedRow{std::move(position), mapper.raw(row), "tombstone without an msisdn"});
      return Status::ok();
    }
    return sink.tombstone(number.text, std::move(position));
  };
  return readQuery(dbc, read);
}

}  // namespace mobisync::plugins::odbc
