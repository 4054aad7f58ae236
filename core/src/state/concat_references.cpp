// SPDX-License-Identifier: Apache-2.0
// ConcatReferenceTable on the state's Poco::Data session (SQLite or PostgreSQL).
#include "state/concat_references.hpp"

#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

std::int64_t ConcatReferenceTable::take(const std::string& recipient, std::int64_t now_ms,
                                        std::uint32_t random_start) {
  try {
    std::string r = recipient;
    Poco::Int64 day = utcDay(now_ms);
    Poco::Int64 start = random_start;
    Poco::Data::Session& session = store_.session();
    WriteTransaction tx(session);
    // The insert of a new row waits for (and then yields to) a concurrent one on PostgreSQL;
    // the update then locks the row, so the read after it sees this transaction's own value.
    session << store_.sql("INSERT INTO concat_references (recipient, day, next_reference)"
                          " VALUES (?, ?, ?) ON CONFLICT (recipient, day) DO NOTHING"),
        use(r), use(day), use(start), now;
    session << store_.sql("UPDATE concat_references SET next_reference = next_reference + 1"
                          " WHERE recipient = ? AND day = ?"),
        use(r), use(day), now;
    std::vector<Poco::Int64> taken;
    session << store_.sql("SELECT next_reference - 1 FROM concat_references"
                          " WHERE recipient = ? AND day = ?"),
        use(r), use(day), into(taken), now;
    session << store_.sql("DELETE FROM concat_references WHERE recipient = ? AND day < ?"),
        use(r), use(day), now;
    tx.commit();
    if (taken.empty()) throw StateError("concat_references: the row of " + recipient + " vanished");
    return taken.front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "take a concatenation reference");
  }
}

}  // namespace mobisync::state
