// SPDX-License-Identifier: Apache-2.0
// MessageLog on the state's Poco::Data session.
#include "state/message_log.hpp"

#include <map>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/message_rows.hpp"
#include "state/state_error.hpp"
#include "state/state_session.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using message_rows::appendEvent;
using message_rows::fromRows;
using message_rows::kColumns;
using message_rows::Rows;

/// True when the last event of `id` from `origin` already says `status` with `detail`.
bool repeatsLastEvent(StateStore& store, std::int64_t id, const std::string& status,
                      const std::string& detail, const std::string& origin) {
  Poco::Int64 m = id;
  std::string o = origin;
  std::vector<std::string> statuses, details;
  store.session() << store.sql("SELECT status, detail FROM message_events WHERE message = ?"
                               " AND origin = ? ORDER BY at DESC LIMIT 1"),
      use(m), use(o), into(statuses), into(details), now;
  return !statuses.empty() && statuses.front() == status && details.front() == detail;
}

}  // namespace

bool isFinalStatus(const std::string& s) {
  return s == "delivered" || s == "failed" || s == "expired" || s == "unknown" ||
         s == "suppressed";
}

std::string receiptStatus(const std::string& state) {
  static const std::map<std::string, std::string> kFinal = {
      {"DELIVRD", "delivered"}, {"UNDELIV", "failed"},  {"REJECTD", "failed"},
      {"DELETED", "failed"},    {"EXPIRED", "expired"},
  };
  auto it = kFinal.find(state);
  return it != kFinal.end() ? it->second : "submitted";
}

ReceiptMatch MessageLog::recordReceipt(const std::string& notifier,
                                       const std::string& provider_message_id,
                                       const std::string& receipt_state, const std::string& error,
                                       std::int64_t /*done_at_ms*/, const std::string& origin,
                                       std::int64_t now_ms) {
  // Latency is measured on our clock (now - submitted_at): the SMSC's done time has whole
  // seconds in its own time zone.
  ReceiptMatch match;
  try {
    WriteTransaction tx(store_.session());
    auto row = notifier.empty() ? findByProviderId("", provider_message_id)
                                : findByProviderId(notifier, provider_message_id);
    if (!row) return match;
    match.matched = true;
    match.id = row->id;
    const std::string mapped = receiptStatus(receipt_state);
    std::string detail = "receipt " + receipt_state + (error.empty() ? "" : " error " + error);
    match.status = row->status;
    if (!isFinalStatus(row->status) && mapped != "submitted") {
      std::string s = mapped;
      Poco::Int64 at = now_ms, id = row->id;
      store_.session() << store_.sql("UPDATE messages SET status = ?, detail = ?, updated_at = ?"
                                     " WHERE id = ?"),
          use(s), use(detail), use(at), use(id), now;
      match.status = mapped;
    }
    if (!repeatsLastEvent(store_, row->id, mapped, detail, origin)) {
      appendEvent(store_, row->id, now_ms, mapped, detail, origin);
    }
    if (row->submitted_at_ms > 0) match.latency_ms = now_ms - row->submitted_at_ms;
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "record a delivery receipt");
  }
  return match;
}

std::int64_t MessageLog::expireUnreceipted(std::int64_t now_ms, std::int64_t expiry_ms) {
  try {
    WriteTransaction tx(store_.session());
    Poco::Int64 before = now_ms - expiry_ms, at = now_ms;
    std::vector<Poco::Int64> ids;
    store_.session() << store_.sql("SELECT id FROM messages WHERE status = 'submitted'"
                                   " AND submitted_at < ?"),
        use(before), into(ids), now;
    std::string detail = "no final receipt within " + std::to_string(expiry_ms / 1000) + " s";
    for (Poco::Int64 id : ids) {
      store_.session() << store_.sql("UPDATE messages SET status = 'unknown', detail = ?,"
                                     " updated_at = ? WHERE id = ?"),
          use(detail), use(at), use(id), now;
      appendEvent(store_, id, now_ms, "unknown", detail, "expiry");
    }
    tx.commit();
    return static_cast<std::int64_t>(ids.size());
  } catch (...) {
    rethrowAsStateError(store_.path(), "expire messages without receipts");
  }
}

std::optional<MessageRecord> MessageLog::findByProviderId(const std::string& notifier,
                                                          const std::string& message_id) {
  try {
    std::string n = notifier, id = message_id;
    Rows rows;
    if (notifier.empty()) {
      store_.session() << store_.sql("SELECT " + kColumns + " FROM messages WHERE message_id = ?"
                                     " ORDER BY id DESC LIMIT 1"),
          use(id), into(rows.heads), into(rows.tails), now;
    } else {
      store_.session() << store_.sql("SELECT " + kColumns + " FROM messages WHERE notifier = ?"
                                     " AND message_id = ? ORDER BY id DESC LIMIT 1"),
          use(n), use(id), into(rows.heads), into(rows.tails), now;
    }
    if (rows.size() == 0) return std::nullopt;
    return fromRows(rows).front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "find message " + message_id);
  }
}

std::optional<MessageRecord> MessageLog::find(std::int64_t id) {
  try {
    Poco::Int64 i = id;
    Rows rows;
    store_.session() << store_.sql("SELECT " + kColumns + " FROM messages WHERE id = ?"),
        use(i), into(rows.heads), into(rows.tails), now;
    if (rows.size() == 0) return std::nullopt;
    return fromRows(rows).front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "find message row " + std::to_string(id));
  }
}

std::vector<MessageRecord> MessageLog::list(const std::string& job, int limit) {
  std::vector<MessageRecord> out;
  try {
    std::string j = job;
    Poco::Int64 n = limit;
    Rows rows;
    if (job.empty()) {
      store_.session() << store_.sql("SELECT " + kColumns +
                                     " FROM messages ORDER BY id DESC LIMIT ?"),
          use(n), into(rows.heads), into(rows.tails), now;
    } else {
      store_.session() << store_.sql("SELECT " + kColumns +
                                     " FROM messages WHERE job = ? ORDER BY id DESC LIMIT ?"),
          use(j), use(n), into(rows.heads), into(rows.tails), now;
    }
    out = fromRows(rows);
  } catch (...) {
    rethrowAsStateError(store_.path(), "list messages");
  }
  return out;
}

std::vector<MessageEvent> MessageLog::history(std::int64_t id) {
  std::vector<MessageEvent> out;
  try {
    Poco::Int64 m = id;
    std::vector<Poco::Int64> ats;
    std::vector<std::string> statuses, details, origins;
    // Events of one millisecond keep the order they were written in (no id column).
    const std::string order = dialectOf(store_.session()) == Dialect::Postgres ? "ctid" : "rowid";
    store_.session() << store_.sql("SELECT at, status, detail, origin FROM message_events"
                                   " WHERE message = ? ORDER BY at, " + order),
        use(m), into(ats), into(statuses), into(details), into(origins), now;
    for (std::size_t i = 0; i < ats.size(); ++i) {
      out.push_back({id, ats[i], statuses[i], details[i], origins[i]});
    }
  } catch (...) {
    rethrowAsStateError(store_.path(), "read the history of message " + std::to_string(id));
  }
  return out;
}

}  // namespace mobisync::state
