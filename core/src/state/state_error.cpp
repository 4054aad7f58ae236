// SPDX-License-Identifier: Apache-2.0
// Converts Poco::Data and standard exceptions into StateError with the file and action named.
#include "state/state_error.hpp"

#include <exception>

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

}  // namespace

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
  } catch (const Poco::Exception& e) {
    throw StateError(prefix + pocoReason(e));
  } catch (const std::exception& e) {
    throw StateError(prefix + e.what());
  } catch (...) {
    throw StateError(prefix + "unknown error");
  }
}

}  // namespace mobisync::state
