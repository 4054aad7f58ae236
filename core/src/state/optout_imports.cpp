// SPDX-License-Identifier: Apache-2.0
// OptoutImports on the state's Poco::Data session.
#include "state/optout_imports.hpp"

#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include "state/state_error.hpp"

namespace mobisync::state {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

std::optional<OptoutImportPosition> OptoutImports::find(const std::string& source) {
  try {
    std::string s = source;
    std::vector<Poco::Tuple<std::string, Poco::Int64>> rows;
    store_.session() << store_.sql("SELECT imported_through, imported_at FROM optout_imports"
                                   " WHERE source = ?"),
        use(s), into(rows), now;
    if (rows.empty()) return std::nullopt;
    return OptoutImportPosition{rows.front().get<0>(), rows.front().get<1>()};
  } catch (...) {
    rethrowAsStateError(store_.path(), "read how far the opt-out list was imported");
  }
}

void OptoutImports::save(const std::string& source, const std::string& imported_through,
                         std::int64_t at_ms) {
  try {
    std::string s = source, through = imported_through;
    Poco::Int64 at = at_ms;
    store_.session() << store_.sql("INSERT INTO optout_imports (source, imported_through,"
                                   " imported_at) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE"
                                   " SET imported_through = excluded.imported_through,"
                                   " imported_at = excluded.imported_at"),
        use(s), use(through), use(at), now;
  } catch (...) {
    rethrowAsStateError(store_.path(), "record how far the opt-out list was imported");
  }
}

}  // namespace mobisync::state
