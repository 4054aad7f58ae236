// SPDX-License-Identifier: Apache-2.0
// Converts Poco::Data and standard exceptions into StateError with the file and action named.
#include "state/state_error.hpp"

#include <algorithm>
#include <exception>
#include <string_view>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>

namespace mobisync::state {
namespace {

// Poco's SQLite exceptions carry sqlite3_errmsg twice for prepare errors ("no such table: x: no
// such table: x"); one copy is enough for an operator.
std::string pocoReason(const Poco::Exception& e) {
  const std::string& text = e.message();
  if (text.empty()) {
    return e.displayText();
  }
  if (text.size() > 2 && text.size() % 2 == 0) {
    const std::size_t half = (text.size() - 2) / 2;
    if (text.compare(half, 2, ": ") == 0 && text.compare(0, half, text, half + 2, half) == 0) {
      return text.substr(0, half);
    }
  }
  return text;
}

// The five characters after "ERROR:  " when the server sent verbose fields, else "".
std::string sqlStateAt(const std::string& text, std::size_t at) {
  if (text.size() < at + 7 || text.compare(at + 5, 2, ": ") != 0) return "";
  for (std::size_t i = at; i < at + 5; ++i) {
    const char c = text[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return "";
  }
  return text.substr(at, 5);
}

std::size_t severityAt(const std::string& text) {
  std::size_t best = std::string::npos;
  for (const char* severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    best = std::min(best, text.find(severity));
  }
  return best;
}

// Lock timeout, serialization failure, deadlock: another connection was in the way, and the
// same work may succeed when retried, as with SQLite's busy.
bool busySqlState(const std::string& text) {
  const std::size_t at = severityAt(text);
  if (at == std::string::npos) return false;
  const std::string state = sqlStateAt(text, at + 8);
  return state == "55P03" || state == "40001" || state == "40P01";
}

}  // namespace

std::string postgresReason(const std::string& text) {
  const std::size_t at = severityAt(text);
  if (at == std::string::npos) {
    std::string line = text.substr(0, text.find('\n'));
    for (const char* noise : {"Connection attempt failed: ", "Connection Error: ", "PostgreSQL: ",
                              "[PostgreSQL]: "}) {
      if (line.rfind(noise, 0) == 0) line.erase(0, std::string_view(noise).size());
    }
    return line;
  }
  std::string prefix;
  if (text.rfind("connection to server", 0) == 0) prefix = text.substr(0, at);
  std::size_t from = at + 8;
  std::string out = prefix;
  if (const std::string state = sqlStateAt(text, from); !state.empty()) {
    out += "SQLSTATE " + state + ": ";
    from += 7;
  }
  return out + text.substr(from, text.find('\n', from) - from);
}

void rethrowAsStateError(const std::string& path, const std::string& action) {
  const std::string prefix = "state " + path + ": cannot " + action + ": ";
  try {
    throw;
  } catch (const StateError&) {
    throw;
  } catch (const Poco::Data::SQLite::DBLockedException& e) {
    throw StateError(prefix + pocoReason(e), true);
  } catch (const Poco::Data::SQLite::TableLockedException& e) {
    throw StateError(prefix + pocoReason(e), true);
  } catch (const Poco::Data::PostgreSQL::PostgreSQLException& e) {
    throw StateError(prefix + postgresReason(e.message()), busySqlState(e.message()));
  } catch (const Poco::Data::ConnectionFailedException& e) {
    throw StateError(prefix + postgresReason(e.message()));
  } catch (const Poco::Exception& e) {
    throw StateError(prefix + pocoReason(e));
  } catch (const std::exception& e) {
    throw StateError(prefix + e.what());
  } catch (...) {
    throw StateError(prefix + "unknown error");
  }
}

}  // namespace mobisync::state
