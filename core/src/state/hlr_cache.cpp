// SPDX-License-Identifier: Apache-2.0
// HlrCache on the state's Poco::Data session.
#include "state/hlr_cache.hpp"

#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using State = plugin::NumberStatus::State;

const char* numberStateName(State s) {
  switch (s) {
    case State::Active: return "active";
    case State::Inactive: return "inactive";
    case State::Unknown: break;
  }
  return "unknown";
}

namespace {

State parseState(const std::string& s) {
  if (s == "active") return State::Active;
  if (s == "inactive") return State::Inactive;
  return State::Unknown;
}

}  // namespace

std::optional<CachedLookup> HlrCache::find(const std::string& msisdn,
                                           std::int64_t not_before_ms) {
  try {
    std::string m = msisdn;
    Poco::Int64 since = not_before_ms;
    std::vector<Poco::Tuple<std::string, std::string, std::string, Poco::Int64, std::string,
                            Poco::Int64>>
        rows;
    store_.session() << store_.sql("SELECT state, network, country, ported, detail, looked_up_at"
                                   " FROM hlr_cache WHERE msisdn = ? AND looked_up_at >= ?"),
        use(m), use(since), into(rows), now;
    if (rows.empty()) return std::nullopt;
    const auto& r = rows.front();
    CachedLookup c;
    c.status.state = parseState(r.get<0>());
    c.status.network = r.get<1>();
    c.status.country = r.get<2>();
    c.status.ported = r.get<3>() != 0;
    c.status.detail = r.get<4>();
    c.looked_up_at_ms = r.get<5>();
    return c;
  } catch (...) {
    rethrowAsStateError(store_.path(), "read the number lookup memo");
  }
}

void HlrCache::store(const std::string& msisdn, const plugin::NumberStatus& status,
                     std::int64_t now_ms) {
  try {
    std::string m = msisdn;
    std::string state = numberStateName(status.state);
    std::string network = status.network, country = status.country, detail = status.detail;
    Poco::Int64 ported = status.ported ? 1 : 0;
    Poco::Int64 at = now_ms;
    WriteTransaction tx(store_.session());
    store_.session() << store_.sql(
                            "INSERT INTO hlr_cache (msisdn, state, network, country, ported,"
                            " detail, looked_up_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                            " (msisdn) DO UPDATE SET state = excluded.state,"
                            " network = excluded.network, country = excluded.country,"
                            " ported = excluded.ported, detail = excluded.detail,"
                            " looked_up_at = excluded.looked_up_at"),
        use(m), use(state), use(network), use(country), use(ported), use(detail), use(at), now;
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "record a number lookup");
  }
}

}  // namespace mobisync::state
