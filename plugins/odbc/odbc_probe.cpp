// SPDX-License-Identifier: Apache-2.0
// OdbcSource::probe(): connect as fetch() would, run the query in a read-only transaction, fetch
// at most one row, roll back and disconnect. Nothing is written.
#include <Poco/Data/Session.h>

#include <exception>
#include <optional>
#include <vector>

#include "block_reader.hpp"
#include "odbc_session.hpp"
#include "odbc_source.hpp"
#include "read_transaction.hpp"

namespace mobisync::plugins::odbc {

namespace {

/// A refused login: SQLSTATE class 28, or psqlODBC's 08001 with PostgreSQL's wording.
bool refusesCredentials(const Diagnostic& d) {
  return d.sqlstate.rfind("28", 0) == 0 ||
         d.message.find("authentication failed") != std::string::npos ||
         d.message.find("no password supplied") != std::string::npos;
}

}  // namespace

std::vector<plugin::ProbeResult> OdbcSource::probe() {
  using plugin::ProbeResult;
  using namespace Poco::Data::Keywords;
  ProbeResult r;
  r.endpoint = "odbc " + options_.label;
  const auto failed = [&](const std::string& what, const Diagnostic& d) {
    r.verdict =
        refusesCredentials(d) ? ProbeResult::Verdict::Refused : ProbeResult::Verdict::Unreachable;
    r.detail = sourceFailure(options_.label, options_.password, what, d).message();
    return std::vector<ProbeResult>{r};
  };
  if (!initialised_) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "odbc: probe() called without a successful init()";
    return {r};
  }
  try {
    // Declared in this order so the statement goes first, then the transaction (rolled back),
    // then the connection.
    std::optional<Poco::Data::Session> session;
    try {
      session.emplace("ODBC", options_.connection_string, options_.login_timeout);
    } catch (const std::exception& e) {
      return failed("cannot connect", diagnose(e));
    }
    const SQLHDBC dbc = handleOf(*session);
    if (dbc == SQL_NULL_HDBC) {
      r.verdict = ProbeResult::Verdict::Unreachable;
      r.detail = "odbc: " + options_.label + ": the session is not an ODBC connection";
      return {r};
    }
    if (isPostgres(dbc)) {
      try {
        // psqlODBC ignores SQL_MODE_READ_ONLY; the server enforces this instead.
        *session << "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", now;
      } catch (const std::exception& e) {
        return failed("cannot make the session read-only", diagnose(e));
      }
    }
    ReadTransaction transaction(dbc);
    if (!transaction.begin()) {
      return failed("cannot start a read-only transaction", transaction.error());
    }
    BlockReader reader(dbc, 1);
    reader.limit(1, options_.login_timeout);
    std::optional<CursorParameter> parameter;
    if (options_.incremental.enabled) {
      // The type's lowest value, as a first run binds it; one row is read either way.
      parameter = CursorParameter{options_.incremental.cursor_type, std::nullopt};
    }
    if (!reader.open(options_.query, parameter)) {
      return failed("the query failed", reader.error());
    }
    std::vector<Cell> row(reader.columns().size());
    switch (reader.next(row)) {
      case BlockReader::Next::Row:
      case BlockReader::Next::BadRow:
        r.detail = "connected, one row of the query read (" +
                   std::to_string(reader.columns().size()) + " columns)";
        break;
      case BlockReader::Next::End:
        r.detail = "connected; the query ran and returned no row";
        break;
      case BlockReader::Next::Failed:
        return failed("fetching a row failed", reader.error());
    }
  } catch (const std::exception& e) {
    return failed("the probe failed", diagnose(e));
  }
  return {r};
}

}  // namespace mobisync::plugins::odbc
