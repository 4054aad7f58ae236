// SPDX-License-Identifier: Apache-2.0
// Receipts recorded per second through the path the daemon's messaging service takes for each
// receipt (notify::recordReceiptCounted: the status before, MessageLog::recordReceipt, the
// metrics), beside a baseline in the same run: the same lookup, update and history insert
// written by hand against the sqlite3 C API with prepared statements, one transaction per
// receipt, on a file with the state's pragmas (WAL, synchronous NORMAL).
// usage: mobisync_bench_receipts DIR MESSAGES [SEED]
//   A tenth more receipts than messages are repeats (the SMSC sending one twice).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "notify/message_metrics.hpp"
#include "notify/outbox_drain.hpp"
#include "state/outbox.hpp"
#include "state/state_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string providerId(int i) { return "m" + std::to_string(i); }

/// The receipts to record: every message once, a tenth of them again, shuffled.
std::vector<int> receiptOrder(int messages, unsigned seed) {
  std::vector<int> order;
  for (int i = 0; i < messages; ++i) order.push_back(i);
  std::mt19937 rng(seed);
  for (int i = 0; i < messages / 10; ++i) order.push_back(static_cast<int>(rng() % messages));
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

/// `messages` rows submitted through the real outbox, as the drain leaves them.
void seedService(const std::string& path, int messages) {
  mobisync::state::StateStore store(path);
  std::vector<mobisync::notify::QueuedMessage> rows;
  for (int i = 0; i < messages; ++i) {
    mobisync::notify::QueuedMessage m;
    m.dedup_key = "bench/" + std::to_string(i);
    m.notifier = "sms";
    m.recipient = "4479" + std::to_string(10000000 + i);
    m.text = "Receipt benchmark";
    m.job = "bench";
    m.rule = "bench";
    m.event = "send";
    rows.push_back(std::move(m));
  }
  const auto ids = mobisync::notify::enqueueMessages(store, rows, nowMs());
  mobisync::state::Outbox outbox(store);
  std::vector<mobisync::state::OutboxTransition> submitted;
  for (auto& row : outbox.claimDue("sms", "bench", nowMs(), messages)) {
    submitted.push_back({row.id, "submitted", providerId(static_cast<int>(row.id - ids.front())),
                         "", 0});
  }
  outbox.apply(submitted, nowMs());
}

double serviceRate(const std::string& path, const std::vector<int>& order) {
  mobisync::state::StateStore store(path);
  const auto start = Clock::now();
  for (int i : order) {
    mobisync::plugin::Receipt r{providerId(i), "DELIVRD", "000", 0};
    mobisync::notify::recordReceiptCounted(store, "sms", r, "smpp", nowMs());
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(order.size()) / secs;
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error != nullptr ? error : "?";
    sqlite3_free(error);
    throw std::runtime_error(why);
  }
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db));
  }
  return s;
}

double rawRate(const std::string& path, int messages, const std::vector<int>& order) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
           "CREATE TABLE messages (id INTEGER PRIMARY KEY, message_id TEXT, status TEXT,"
           " detail TEXT, updated_at INTEGER, submitted_at INTEGER);"
           "CREATE INDEX messages_by_id ON messages (message_id);"
           "CREATE TABLE message_events (message INTEGER, at INTEGER, status TEXT, detail TEXT,"
           " origin TEXT);"
           "CREATE INDEX events_by_message ON message_events (message, at);");
  exec(db, "BEGIN");
  sqlite3_stmt* seed = prepare(db, "INSERT INTO messages (message_id, status, submitted_at)"
                                   " VALUES (?, 'submitted', 1)");
  for (int i = 0; i < messages; ++i) {
    const std::string id = providerId(i);
    sqlite3_bind_text(seed, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(seed);
    sqlite3_reset(seed);
  }
  sqlite3_finalize(seed);
  exec(db, "COMMIT");
  sqlite3_stmt* find = prepare(db, "SELECT id, status FROM messages WHERE message_id = ?");
  sqlite3_stmt* update = prepare(db, "UPDATE messages SET status = 'delivered', detail = ?,"
                                     " updated_at = ? WHERE id = ? AND status = 'submitted'");
  sqlite3_stmt* insert = prepare(db, "INSERT INTO message_events VALUES (?, ?, 'delivered', ?,"
                                     " 'smpp')");
  const auto start = Clock::now();
  for (int i : order) {
    exec(db, "BEGIN IMMEDIATE");
    const std::string id = providerId(i);
    sqlite3_bind_text(find, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(find) == SQLITE_ROW) {
      const sqlite3_int64 row = sqlite3_column_int64(find, 0);
      const sqlite3_int64 at = nowMs();
      sqlite3_bind_text(update, 1, "receipt DELIVRD", -1, SQLITE_STATIC);
      sqlite3_bind_int64(update, 2, at);
      sqlite3_bind_int64(update, 3, row);
      sqlite3_step(update);
      sqlite3_reset(update);
      sqlite3_bind_int64(insert, 1, row);
      sqlite3_bind_int64(insert, 2, at);
      sqlite3_bind_text(insert, 3, "receipt DELIVRD", -1, SQLITE_STATIC);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_reset(find);
    exec(db, "COMMIT");
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(find);
  sqlite3_finalize(update);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return static_cast<double>(order.size()) / secs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " DIR MESSAGES [SEED]\n";
    return 64;
  }
  const std::string dir = argv[1];
  const int messages = std::stoi(argv[2]);
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3]))
                                 : std::random_device{}();
  const auto order = receiptOrder(messages, seed);
  seedService(dir + "/service.db", messages);
  const double service = serviceRate(dir + "/service.db", order);
  const double raw = rawRate(dir + "/raw.db", messages, order);
  // One line the run script reads: seed, receipts, service/s, raw/s.
  std::printf("seed=%u receipts=%zu service_per_s=%.0f raw_sqlite_per_s=%.0f\n", seed,
              order.size(), service, raw);
  return 0;
}
