// SPDX-License-Identifier: Apache-2.0
// ReceivedMessages on the state's Poco::Data session.
#include "state/received_messages.hpp"

#include <cstdio>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include "state/state_error.hpp"

namespace mobisync::state {

namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

const std::string kColumns =
    "id, dedup_key, notifier, provider_id, originator, recipient, body, in_reply_to, action,"
    " received_at, stored_at";
using Row = Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string,
                        std::string, std::string, Poco::Int64, std::string, Poco::Int64,
                        Poco::Int64>;

ReceivedMessage fromRow(const Row& r) {
  return ReceivedMessage{r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>(),
                         r.get<6>(), r.get<7>(), r.get<8>(), r.get<9>(), r.get<10>()};
}

// FNV-1a: a hash that is the same in every build and process, unlike std::hash, since keys
// written by one process must match the repeat another one sees.
std::string stableHash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string inboundDedupKey(const plugin::InboundMessage& m, const std::string& notifier) {
  if (!m.id.empty()) return "id:" + notifier + ":" + m.id;
  return "mo:" + notifier + ":" + m.from + ":" + m.to + ":" + std::to_string(m.received_at_ms) +
         ":" + stableHash(m.text);
}

std::optional<std::int64_t> ReceivedMessages::store(const ReceivedMessage& row) {
  try {
    ReceivedMessage r = row;
    std::vector<Poco::Int64> returned;
    store_.session() << store_.sql("INSERT INTO received_messages (dedup_key, notifier,"
                                   " provider_id, originator, recipient, body, in_reply_to,"
                                   " action, received_at, stored_at) VALUES"
                                   " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                   " ON CONFLICT (dedup_key) DO NOTHING RETURNING id"),
        use(r.dedup_key), use(r.notifier), use(r.provider_id), use(r.originator),
        use(r.recipient), use(r.body), use(r.in_reply_to), use(r.action), use(r.received_at_ms),
        use(r.stored_at_ms), into(returned), now;
    if (returned.empty()) return std::nullopt;
    return returned.front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "store a received message");
  }
}

std::int64_t ReceivedMessages::findAnswered(const std::string& notifier,
                                            const std::string& provider_in_reply_to,
                                            const std::string& originator,
                                            std::int64_t since_ms) {
  try {
    std::vector<Poco::Int64> ids;
    if (!provider_in_reply_to.empty()) {
      std::string n = notifier, id = provider_in_reply_to;
      store_.session() << store_.sql("SELECT id FROM messages WHERE (? = '' OR notifier = ?)"
                                     " AND message_id = ? ORDER BY id DESC LIMIT 1"),
          use(n), use(n), use(id), into(ids), now;
      if (!ids.empty()) return ids.front();
    }
    // Else the latest message that left for that number recently: what a reply most likely
    // answers. Rows never sent (queued, suppressed) cannot have been answered.
    std::string to = originator;
    Poco::Int64 since = since_ms;
    store_.session() << store_.sql("SELECT id FROM messages WHERE recipient = ?"
                                   " AND created_at >= ?"
                                   " AND status NOT IN ('queued', 'suppressed')"
                                   " ORDER BY id DESC LIMIT 1"),
        use(to), use(since), into(ids), now;
    return ids.empty() ? 0 : ids.front();
  } catch (...) {
    rethrowAsStateError(store_.path(), "find the message a reply answers");
  }
}

void ReceivedMessages::setAction(std::int64_t id, const std::string& action) {
  try {
    Poco::Int64 i = id;
    std::string a = action;
    store_.session() << store_.sql("UPDATE received_messages SET action = ? WHERE id = ?"),
        use(a), use(i), now;
  } catch (...) {
    rethrowAsStateError(store_.path(), "record what a received message did");
  }
}

std::vector<ReceivedMessage> ReceivedMessages::list(const std::string& originator, int limit) {
  std::vector<ReceivedMessage> out;
  try {
    std::string o = originator;
    Poco::Int64 n = limit;
    std::vector<Row> rows;
    store_.session() << store_.sql("SELECT " + kColumns +
                                   " FROM received_messages WHERE (? = '' OR originator = ?)"
                                   " ORDER BY id DESC LIMIT ?"),
        use(o), use(o), use(n), into(rows), now;
    for (const auto& r : rows) out.push_back(fromRow(r));
  } catch (...) {
    rethrowAsStateError(store_.path(), "list received messages");
  }
  return out;
}

}  // namespace mobisync::state
