// SPDX-License-Identifier: Apache-2.0
// CursorStore on the state's Poco::Data session.
#include "state/cursor_store.hpp"

#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

std::optional<StoredCursor> CursorStore::load(const std::string& job, const std::string& source) {
  try {
    std::string bound_job = job;
    std::string bound_source = source;
    std::vector<std::string> values;
    std::vector<std::string> types;
    std::vector<Poco::Int64> updated;
    store_.session() << store_.sql("SELECT value, value_type, updated_at FROM source_cursors"
                                   " WHERE job = ? AND source = ?"),
        into(values), into(types), into(updated), use(bound_job), use(bound_source), now;
    if (values.empty()) {
      return std::nullopt;
    }
    return StoredCursor{values.front(), types.front(), updated.front()};
  } catch (...) {
    rethrowAsStateError(store_.path(), "read the cursor of job " + job);
  }
}

void CursorStore::save(const std::string& job, const std::string& source,
                       const std::string& value, const std::string& type, std::int64_t now_ms) {
  try {
    std::string j = job;
    std::string s = source;
    std::string v = value;
    std::string t = type;
    Poco::Int64 at = now_ms;
    WriteTransaction tx(store_.session());
    store_.checkFence(job);
    store_.session() << store_.sql(
                            "INSERT INTO source_cursors (job, source, value, value_type,"
                            " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job, source) DO"
                            " UPDATE SET value = excluded.value, value_type = excluded.value_type,"
                            " updated_at = excluded.updated_at"),
        use(j), use(s), use(v), use(t), use(at), now;
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "record the cursor of job " + job);
  }
}

std::int64_t CursorStore::clear(const std::string& job) {
  try {
    std::string bound_job = job;
    Poco::Data::Statement erase(store_.session());
    erase << store_.sql("DELETE FROM source_cursors WHERE job = ?"), use(bound_job);
    return static_cast<std::int64_t>(erase.execute());
  } catch (...) {
    rethrowAsStateError(store_.path(), "forget the cursors of job " + job);
  }
}

}  // namespace mobisync::state
