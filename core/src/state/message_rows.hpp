// SPDX-License-Identifier: Apache-2.0
// The `messages` row as MessageLog and Outbox read it, and the history append they share.
#pragma once

#include <string>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Tuple.h>

#include "state/message_log.hpp"
#include "state/state_store.hpp"

namespace mobisync::state::message_rows {

inline const std::string kColumns =
    "id, dedup_key, job, rule, event, notifier, recipient, reference, message_id, status, "
    "detail, parts, encoding, created_at, updated_at, text, originator, attempts, "
    "next_attempt_at, expires_at, holder, submitted_at";

// Two tuples per row: Poco::Data binds tuples of at most 20 columns. Read with
// `into(heads), into(tails)`.
using Head = Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string,
                         std::string, std::string, std::string, std::string, std::string,
                         std::string>;
using Tail = Poco::Tuple<Poco::Int64, std::string, Poco::Int64, Poco::Int64, std::string,
                         std::string, Poco::Int64, Poco::Int64, Poco::Int64, std::string,
                         Poco::Int64>;

struct Rows {
  std::vector<Head> heads;
  std::vector<Tail> tails;
  std::size_t size() const { return heads.size(); }
};

inline MessageRecord fromRow(const Head& r, const Tail& t) {
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
  m.parts = t.get<0>();
  m.encoding = t.get<1>();
  m.created_at_ms = t.get<2>();
  m.updated_at_ms = t.get<3>();
  m.text = t.get<4>();
  m.originator = t.get<5>();
  m.attempts = t.get<6>();
  m.next_attempt_at_ms = t.get<7>();
  m.expires_at_ms = t.get<8>();
  m.holder = t.get<9>();
  m.submitted_at_ms = t.get<10>();
  return m;
}

inline std::vector<MessageRecord> fromRows(const Rows& rows) {
  std::vector<MessageRecord> out;
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(fromRow(rows.heads[i], rows.tails[i]));
  return out;
}

/// Appends one status change to message_events, inside the caller's transaction if any.
inline void appendEvent(StateStore& store, std::int64_t message, std::int64_t at_ms,
                        const std::string& status, const std::string& detail,
                        const std::string& origin) {
  using Poco::Data::Keywords::now;
  using Poco::Data::Keywords::use;
  Poco::Int64 m = message, at = at_ms;
  std::string s = status, d = detail, o = origin;
  store.session() << store.sql("INSERT INTO message_events (message, at, status, detail, origin)"
                               " VALUES (?, ?, ?, ?, ?)"),
      use(m), use(at), use(s), use(d), use(o), now;
}

}  // namespace mobisync::state::message_rows
