// SPDX-License-Identifier: Apache-2.0
// Outbox on the state's Poco::Data session: every status change also lands in message_events.
#include "state/outbox.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/lease_store.hpp"
#include "state/message_rows.hpp"
#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using message_rows::appendEvent;

constexpr const char* kOrigin = "outbox";

/// Moves rows `ids` from `from` to `to` (only those still in `from`), with an event each;
/// returns how many moved. Inside the caller's transaction.
std::int64_t moveRows(StateStore& store, const std::vector<Poco::Int64>& ids,
                      const std::string& from, const std::string& to, const std::string& detail,
                      std::int64_t now_ms) {
  std::int64_t moved = 0;
  Poco::Int64 at = now_ms;
  for (Poco::Int64 id : ids) {
    std::string f = from, t = to, d = detail;
    Poco::Data::Statement update(store.session());
    update << store.sql("UPDATE messages SET status = ?, detail = ?, holder = '',"
                        " updated_at = ? WHERE id = ? AND status = ?"),
        use(t), use(d), use(at), use(id), use(f);
    if (update.execute() == 0) continue;
    appendEvent(store, id, now_ms, to, detail, kOrigin);
    ++moved;
  }
  return moved;
}

}  // namespace

std::vector<std::int64_t> Outbox::enqueue(const std::vector<MessageRecord>& records,
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
    insert << store_.sql("INSERT INTO messages (dedup_key, job, rule, event, notifier, recipient,"
                         " reference, status, parts, encoding, created_at, updated_at, text,"
                         " originator, expires_at, next_attempt_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)"
                         " ON CONFLICT (dedup_key) DO NOTHING RETURNING id"),
        use(m.dedup_key), use(m.job), use(m.rule), use(m.event), use(m.notifier),
        use(m.recipient), use(m.reference), use(m.parts), use(m.encoding), use(at), use(at),
        use(m.text), use(m.originator), use(m.expires_at_ms), use(m.next_attempt_at_ms),
        into(returned);
    for (const auto& r : records) {
      m = r;
      returned.clear();
      insert.execute();
      // No row comes back when the key was taken before (DO NOTHING).
      const std::int64_t id = returned.empty() ? 0 : returned.front();
      if (id != 0) appendEvent(store_, id, now_ms, "queued", "", kOrigin);
      ids.push_back(id);
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "enqueue " + std::to_string(records.size()) + " messages");
  }
  return ids;
}

std::vector<MessageRecord> Outbox::claimDue(const std::string& notifier,
                                            const std::string& holder, std::int64_t now_ms,
                                            int limit) {
  std::vector<MessageRecord> out;
  try {
    WriteTransaction tx(store_.session());
    std::string n = notifier, h = holder;
    Poco::Int64 at = now_ms, lim = limit;
    message_rows::Rows rows;
    store_.session() << store_.sql("SELECT " + message_rows::kColumns +
                                   " FROM messages WHERE status = 'queued' AND notifier = ?"
                                   " AND next_attempt_at <= ? ORDER BY id LIMIT ?"),
        use(n), use(at), use(lim), into(rows.heads), into(rows.tails), now;
    for (MessageRecord m : message_rows::fromRows(rows)) {
      Poco::Int64 id = m.id;
      // The status test keeps a row another drainer took meanwhile (PostgreSQL) out.
      Poco::Data::Statement update(store_.session());
      update << store_.sql("UPDATE messages SET status = 'sending', holder = ?,"
                           " attempts = attempts + 1, updated_at = ? WHERE id = ?"
                           " AND status = 'queued'"),
          use(h), use(at), use(id);
      if (update.execute() == 0) continue;
      appendEvent(store_, m.id, now_ms, "sending", "attempt " + std::to_string(m.attempts + 1),
                  kOrigin);
      m.status = "sending";
      m.holder = holder;
      m.attempts += 1;
      m.updated_at_ms = now_ms;
      out.push_back(std::move(m));
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "take queued messages of notifier " + notifier);
  }
  return out;
}

std::int64_t Outbox::expireOverdue(std::int64_t now_ms) {
  try {
    WriteTransaction tx(store_.session());
    Poco::Int64 at = now_ms;
    std::vector<Poco::Int64> ids;
    store_.session() << store_.sql("SELECT id FROM messages WHERE status = 'queued'"
                                   " AND expires_at > 0 AND expires_at <= ?"),
        use(at), into(ids), now;
    auto moved = moveRows(store_, ids, "queued", "expired", "not sent before it expired", now_ms);
    tx.commit();
    return moved;
  } catch (...) {
    rethrowAsStateError(store_.path(), "expire queued messages");
  }
}

std::int64_t Outbox::requeueStale(std::int64_t now_ms, std::int64_t in_flight_timeout_ms,
                                  const std::string& me) {
  try {
    WriteTransaction tx(store_.session());
    const std::int64_t before = now_ms - in_flight_timeout_ms;
    std::string h = me;
    std::vector<Poco::Int64> all, ids, updated;
    std::vector<std::string> holders;
    store_.session() << store_.sql("SELECT id, updated_at, holder FROM messages"
                                   " WHERE status = 'sending' AND holder <> ?"),
        use(h), into(all), into(updated), into(holders), now;
    for (std::size_t i = 0; i < all.size(); ++i) {
      // A holder of this host that no longer exists writes nothing more: no need to wait. One
      // that still runs may be in the middle of a long batch (10,000 rows at an SMSC's 60/s
      // take minutes): never taken from it, or they would be sent twice. Only a holder of
      // another host, whose life cannot be seen from here, is judged by the timeout.
      if (holderIsDeadHere(holders[i]) ||
          (updated[i] < before && !holderIsAliveHere(holders[i]))) {
        ids.push_back(all[i]);
      }
    }
    auto moved = moveRows(store_, ids, "sending", "queued",
                          "its sender stopped while sending it", now_ms);
    tx.commit();
    return moved;
  } catch (...) {
    rethrowAsStateError(store_.path(), "requeue messages left sending");
  }
}

void Outbox::apply(const std::vector<OutboxTransition>& changes, std::int64_t now_ms) {
  if (changes.empty()) return;
  try {
    WriteTransaction tx(store_.session());
    Poco::Int64 at = now_ms;
    for (const auto& c : changes) {
      std::string s = c.status, mid = c.message_id, d = c.detail;
      Poco::Int64 id = c.id, next = c.next_attempt_at_ms;
      Poco::Int64 submitted = c.status == "submitted" ? now_ms : 0;
      store_.session() << store_.sql(
                              "UPDATE messages SET status = ?, message_id = ?, detail = ?,"
                              " next_attempt_at = ?, submitted_at = ?, holder = '',"
                              " updated_at = ? WHERE id = ?"),
          use(s), use(mid), use(d), use(next), use(submitted), use(at), use(id), now;
      appendEvent(store_, c.id, now_ms, c.status,
                  c.status == "submitted" ? "message id " + c.message_id : c.detail, kOrigin);
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "record " + std::to_string(changes.size()) +
                                           " message status changes");
  }
}

void Outbox::markSubmitted(std::int64_t id, const std::string& message_id, std::int64_t now_ms) {
  apply({{id, "submitted", message_id, "", 0}}, now_ms);
}
void Outbox::markRetry(std::int64_t id, const std::string& detail, std::int64_t next_attempt_at_ms,
                       std::int64_t now_ms) {
  apply({{id, "queued", "", detail, next_attempt_at_ms}}, now_ms);
}
void Outbox::markFailed(std::int64_t id, const std::string& detail, std::int64_t now_ms) {
  apply({{id, "failed", "", detail, 0}}, now_ms);
}
void Outbox::markExpired(std::int64_t id, const std::string& detail, std::int64_t now_ms) {
  apply({{id, "expired", "", detail, 0}}, now_ms);
}
void Outbox::markSuppressed(std::int64_t id, const std::string& detail, std::int64_t now_ms) {
  apply({{id, "suppressed", "", detail, 0}}, now_ms);
}

std::vector<std::string> Outbox::notifiersWithQueued() {
  std::vector<std::string> out;
  try {
    store_.session() << "SELECT DISTINCT notifier FROM messages WHERE status = 'queued'"
                        " ORDER BY notifier",
        into(out), now;
  } catch (...) {
    rethrowAsStateError(store_.path(), "list notifiers with queued messages");
  }
  return out;
}

std::optional<std::int64_t> Outbox::nextDue(const std::string& notifier) {
  try {
    std::string n = notifier;
    std::vector<Poco::Int64> due;
    store_.session() << store_.sql("SELECT MIN(next_attempt_at) FROM messages"
                                   " WHERE status = 'queued' AND notifier = ?"
                                   " HAVING COUNT(*) > 0"),
        use(n), into(due), now;
    if (due.empty()) return std::nullopt;
    return due.front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "find the next due message of " + notifier);
  }
}

std::map<std::pair<std::string, std::string>, std::int64_t> Outbox::countsByNotifier() {
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  try {
    std::vector<std::string> notifiers, statuses;
    std::vector<Poco::Int64> counts;
    store_.session() << "SELECT notifier, status, COUNT(*) FROM messages GROUP BY notifier, status",
        into(notifiers), into(statuses), into(counts), now;
    for (std::size_t i = 0; i < counts.size(); ++i) out[{notifiers[i], statuses[i]}] = counts[i];
  } catch (...) {
    rethrowAsStateError(store_.path(), "count messages");
  }
  return out;
}

std::map<std::string, std::int64_t> Outbox::counts() {
  std::map<std::string, std::int64_t> out;
  for (const auto& [key, n] : countsByNotifier()) out[key.second] += n;
  return out;
}

}  // namespace mobisync::state
