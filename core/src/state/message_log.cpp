// SPDX-License-Identifier: Apache-2.0
// MessageLog on the state's Poco::Data session.
#include "state/message_log.hpp"

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
    "id, dedup_key, job, rule, event, notifier, recipient, reference, message_id, status, "
    "detail, parts, encoding, created_at, updated_at";

using Row = Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string,
                        std::string, std::string, std::string, std::string, std::string,
                        std::string, Poco::Int64, std::string, Poco::Int64, Poco::Int64>;

MessageRecord fromRow(const Row& r) {
  MessageRecord m;
  m.id = r.get<0>();
  m.dedup_key = r.get<1>();
  m.job = r.get<2>();
  m.rule = r.get<3>();
  m.event = r.get<4>();
  m.notifier = r.get<5>();
  m.recipient = r.get<6>();
  m.reference = r.get<7>();
  m.message_id = r.get<8>();
  m.status = r.get<9>();
  m.detail = r.get<10>();
  m.parts = r.get<11>();
  m.encoding = r.get<12>();
  m.created_at_ms = r.get<13>();
  m.updated_at_ms = r.get<14>();
  return m;
}

}  // namespace

std::vector<std::int64_t> MessageLog::claim(const std::vector<MessageRecord>& records,
                                            std::int64_t now_ms) {
  std::vector<std::int64_t> ids;
  ids.reserve(records.size());
  if (records.empty()) return ids;
  try {
    auto& session = store_.session();
    WriteTransaction tx(session);
    MessageRecord m;
    Poco::Int64 at = now_ms;
    std::vector<Poco::Int64> returned;
    Poco::Data::Statement insert(session);
    insert << store_.sql("INSERT INTO messages (dedup_key, job, rule, event, notifier,"
                         " recipient, reference, status, parts, encoding, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)"
                         " ON CONFLICT (dedup_key) DO NOTHING RETURNING id"),
        use(m.dedup_key), use(m.job), use(m.rule), use(m.event), use(m.notifier),
        use(m.recipient), use(m.reference), use(m.parts), use(m.encoding), use(at), use(at),
        into(returned);
    for (const auto& r : records) {
      m = r;
      returned.clear();
      insert.execute();
      // No row comes back when the key was claimed before (DO NOTHING).
      ids.push_back(returned.empty() ? 0 : returned.front());
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "claim " + std::to_string(records.size()) + " messages");
  }
  return ids;
}

void MessageLog::record(const std::vector<MessageOutcome>& outcomes, std::int64_t now_ms) {
  if (outcomes.empty()) return;
  try {
    auto& session = store_.session();
    WriteTransaction tx(session);
    MessageOutcome o;
    Poco::Int64 at = now_ms;
    Poco::Data::Statement update(session);
    update << store_.sql("UPDATE messages SET status = ?, message_id = ?, detail = ?, parts = ?,"
                         " encoding = ?, updated_at = ? WHERE id = ?"),
        use(o.status), use(o.message_id), use(o.detail), use(o.parts), use(o.encoding), use(at),
        use(o.id);
    for (const auto& x : outcomes) {
      o = x;
      update.execute();
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(),
                        "record how " + std::to_string(outcomes.size()) + " messages ended");
  }
}

bool MessageLog::recordReceipt(const std::string& notifier, const std::string& message_id,
                               const std::string& status, const std::string& detail,
                               std::int64_t now_ms) {
  try {
    std::string n = notifier, id = message_id, s = status, d = detail;
    Poco::Int64 at = now_ms;
    Poco::Data::Statement update(store_.session());
    update << store_.sql("UPDATE messages SET status = ?, detail = ?, updated_at = ?"
                         " WHERE notifier = ? AND message_id = ?"),
        use(s), use(d), use(at), use(n), use(id);
    return update.execute() > 0;
  } catch (...) {
    rethrowAsStateError(store_.path(), "record a delivery receipt");
  }
}

std::optional<MessageRecord> MessageLog::findByProviderId(const std::string& notifier,
                                                          const std::string& message_id) {
  try {
    std::string n = notifier, id = message_id;
    std::vector<Row> rows;
    store_.session() << store_.sql("SELECT " + kColumns +
                                   " FROM messages WHERE notifier = ? AND message_id = ? LIMIT 1"),
        use(n), use(id), into(rows), now;
    if (rows.empty()) return std::nullopt;
    return fromRow(rows.front());
  } catch (...) {
    rethrowAsStateError(store_.path(), "find message " + message_id);
  }
}

std::vector<MessageRecord> MessageLog::list(const std::string& job, int limit) {
  std::vector<MessageRecord> out;
  try {
    std::string j = job;
    Poco::Int64 n = limit;
    std::vector<Row> rows;
    if (job.empty()) {
      store_.session() << store_.sql("SELECT " + kColumns +
                                     " FROM messages ORDER BY id DESC LIMIT ?"),
          use(n), into(rows), now;
    } else {
      store_.session() << store_.sql("SELECT " + kColumns +
                                     " FROM messages WHERE job = ? ORDER BY id DESC LIMIT ?"),
          use(j), use(n), into(rows), now;
    }
    for (const auto& r : rows) out.push_back(fromRow(r));
  } catch (...) {
    rethrowAsStateError(store_.path(), "list messages");
  }
  return out;
}

}  // namespace mobisync::state
