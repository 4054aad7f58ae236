// SPDX-License-Identifier: Apache-2.0
// SuppressionList on the state's Poco::Data session.
#include "state/suppression_list.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

const std::string kColumns =
    "msisdn, channel, origin, detail, opted_out_at, provider_synced_at";
using Row = Poco::Tuple<std::string, std::string, std::string, std::string, Poco::Int64,
                        Poco::Int64>;

Suppression fromRow(const Row& r) {
  return Suppression{r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>()};
}

}  // namespace

bool SuppressionList::add(const std::string& msisdn, const std::string& channel,
                          const std::string& origin, const std::string& detail,
                          std::int64_t at_ms) {
  try {
    std::string m = msisdn, c = channel, o = origin, d = detail;
    Poco::Int64 at = at_ms;
    Poco::Int64 synced = origin == "provider" ? at_ms : 0;
    std::vector<std::string> returned;
    store_.session() << store_.sql("INSERT INTO suppressions (msisdn, channel, origin, detail,"
                                   " opted_out_at, provider_synced_at) VALUES (?, ?, ?, ?, ?, ?)"
                                   " ON CONFLICT (msisdn, channel) DO NOTHING RETURNING msisdn"),
        use(m), use(c), use(o), use(d), use(at), use(synced), into(returned), now;
    return !returned.empty();
  } catch (...) {
    rethrowAsStateError(store_.path(), "suppress a number");
  }
}

bool SuppressionList::remove(const std::string& msisdn, const std::string& channel) {
  try {
    std::string m = msisdn, c = channel;
    Poco::Data::Statement del(store_.session());
    del << store_.sql("DELETE FROM suppressions WHERE msisdn = ? AND channel = ?"), use(m),
        use(c);
    return del.execute() > 0;
  } catch (...) {
    rethrowAsStateError(store_.path(), "lift a suppression");
  }
}

bool SuppressionList::contains(const std::string& msisdn, const std::string& channel) {
  return find(msisdn, channel).has_value();
}

std::optional<Suppression> SuppressionList::find(const std::string& msisdn,
                                                 const std::string& channel) {
  try {
    std::string m = msisdn, c = channel;
    std::vector<Row> rows;
    store_.session() << store_.sql("SELECT " + kColumns +
                                   " FROM suppressions WHERE msisdn = ? AND channel = ?"),
        use(m), use(c), into(rows), now;
    if (rows.empty()) return std::nullopt;
    return fromRow(rows.front());
  } catch (...) {
    rethrowAsStateError(store_.path(), "read the suppression list");
  }
}

std::vector<Suppression> SuppressionList::list(const std::string& channel,
                                               const std::string& origin) {
  std::vector<Suppression> out;
  try {
    // An empty filter matches every row: (? = '' OR column = ?) keeps one statement.
    std::string c = channel, o = origin;
    std::vector<Row> rows;
    store_.session() << store_.sql("SELECT " + kColumns +
                                   " FROM suppressions WHERE (? = '' OR channel = ?)"
                                   " AND (? = '' OR origin = ?) ORDER BY msisdn, channel"),
        use(c), use(c), use(o), use(o), into(rows), now;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(fromRow(r));
  } catch (...) {
    rethrowAsStateError(store_.path(), "list the suppression list");
  }
  return out;
}

std::vector<Suppression> SuppressionList::unsynced(const std::string& origin) {
  std::vector<Suppression> out;
  try {
    std::string o = origin;
    std::vector<Row> rows;
    store_.session() << store_.sql("SELECT " + kColumns +
                                   " FROM suppressions WHERE origin = ? AND provider_synced_at = 0"
                                   " ORDER BY opted_out_at, msisdn"),
        use(o), into(rows), now;
    for (const auto& r : rows) out.push_back(fromRow(r));
  } catch (...) {
    rethrowAsStateError(store_.path(), "list opt-outs the provider has yet to get");
  }
  return out;
}

void SuppressionList::markProviderSynced(const std::string& msisdn, const std::string& channel,
                                         std::int64_t at_ms) {
  try {
    std::string m = msisdn, c = channel;
    Poco::Int64 at = at_ms;
    store_.session() << store_.sql("UPDATE suppressions SET provider_synced_at = ?"
                                   " WHERE msisdn = ? AND channel = ?"),
        use(at), use(m), use(c), now;
  } catch (...) {
    rethrowAsStateError(store_.path(), "mark an opt-out as sent to the provider");
  }
}

}  // namespace mobisync::state
