// SPDX-License-Identifier: Apache-2.0
// Schema migrations of the state database, applied in order on open.
#include "state/migrations.hpp"

#include <chrono>
#include <cstdint>
#include <stdexcept>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/state_error.hpp"
#include "state/state_session.hpp"
#include "state/write_transaction.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::state {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Timestamps are milliseconds since the epoch in BIGINT: portable, and the same unit RunRecord
// uses. Text columns are compared bytewise (SQLite's BINARY collation); the planner merges on
// that order, so the key columns carry {bytewise}, which PostgreSQL renders as COLLATE "C"
// (whatever the database's locale) and SQLite as nothing.
//
// subscriptions is {clustered}: stored in primary-key order, so forEachPair reads it
// sequentially. As a rowid table every row of that read was a random page lookup, six times
// slower on a million rows (same data, sqlite3 CLI, warm cache).
//
// The ownership index ends in job so "does another job hold this pair" is answered from the
// index alone; the primary key already serves "all pairs of one job, ordered".
// The CHECKs refuse empty keys: a pair without an msisdn or an application is a caller bug, and
// failing the whole batch is better than storing a row no plan can match.
constexpr std::string_view kV1[] = {
    R"sql(CREATE TABLE subscriptions (
  job TEXT{bytewise} NOT NULL CHECK (job <> ''),
  msisdn TEXT{bytewise} NOT NULL CHECK (msisdn <> ''),
  application TEXT{bytewise} NOT NULL CHECK (application <> ''),
  name TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',
  confirmed_at BIGINT NOT NULL,
  PRIMARY KEY (job, msisdn, application)
) {clustered})sql",
    R"sql(CREATE INDEX subscriptions_by_pair ON subscriptions (msisdn, application, job))sql",
    // {id}: in SQLite only the exact spelling INTEGER PRIMARY KEY makes id the rowid;
    // PostgreSQL takes an identity column.
    R"sql(CREATE TABLE runs (
  {id},
  job TEXT{bytewise} NOT NULL CHECK (job <> ''),
  mode TEXT NOT NULL,
  outcome TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  fetched BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  added BIGINT NOT NULL DEFAULT 0,
  removed BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  held BIGINT NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT ''
))sql",
    R"sql(CREATE INDEX runs_by_job ON runs (job, id))sql",
};

// Numbers the MSISDN normaliser of one engine (mobisync and libphonenumber versions) maps to
// themselves for one default region. libphonenumber spends ~40 us of regex matching per
// number; a source that already holds E.164 digits is answered from here on later runs. Keyed by
// engine so an upgrade, whose metadata may judge numbers differently, starts afresh.
constexpr std::string_view kV2[] = {
    R"sql(CREATE TABLE canonical_numbers (
  region TEXT NOT NULL,
  engine TEXT NOT NULL,
  number BIGINT NOT NULL,
  PRIMARY KEY (region, engine, number)
) {clustered})sql",
};

// Incremental sources: the highest cursor value (updated_at, a sequence) whose changes the
// provider has confirmed, per job and source. Text, with its type beside it, so one table holds
// integers, decimals and timestamps alike; the source plugin compares them, not SQL.
constexpr std::string_view kV3[] = {
    R"sql(CREATE TABLE source_cursors (
  job TEXT{bytewise} NOT NULL CHECK (job <> ''),
  source TEXT{bytewise} NOT NULL CHECK (source <> ''),
  value TEXT NOT NULL,
  value_type TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (job, source)
))sql",
};

// Messages mobisync sent (notifications, `send`), with the provider's id and delivery status.
// dedup_key makes "send at most once" a constraint: a notification is claimed (status
// 'pending') in the same transaction that decides to send it, so a crash between claim and send
// leaves a pending row that is reported, never re-sent. hlr_cache memoises number lookups.
constexpr std::string_view kV4[] = {
    R"sql(CREATE TABLE messages (
  {id},
  dedup_key TEXT NOT NULL UNIQUE CHECK (dedup_key <> ''),
  job TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL DEFAULT '',
  event TEXT NOT NULL DEFAULT '',
  notifier TEXT NOT NULL,
  recipient TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  parts INTEGER NOT NULL DEFAULT 1,
  encoding TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
))sql",
    R"sql(CREATE INDEX messages_by_provider_id ON messages (notifier, message_id))sql",
    R"sql(CREATE INDEX messages_by_job ON messages (job, id))sql",
    R"sql(CREATE TABLE hlr_cache (
  msisdn TEXT{bytewise} NOT NULL PRIMARY KEY CHECK (msisdn <> ''),
  state TEXT NOT NULL,
  network TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  ported INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '',
  looked_up_at BIGINT NOT NULL
) {clustered})sql",
};

// Which process applies a job (lease_store.hpp): one row per job, held by `holder`
// (host:pid:random) until expires_at. token grows at every acquisition and is never reset (a
// release only expires the row), so a write fenced by an older token is refused however the
// lease moved on in between.
constexpr std::string_view kV5[] = {
    R"sql(CREATE TABLE job_leases (
  job TEXT{bytewise} NOT NULL PRIMARY KEY CHECK (job <> ''),
  holder TEXT NOT NULL,
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  acquired_at BIGINT NOT NULL
))sql",
};

// Messaging as a store-and-forward service (docs/messaging.md). `messages` becomes the outbox:
// a row is written 'queued' with its text before anything is sent, a sender moves it to
// 'sending' (holder names the process, as job_leases does) and on to 'submitted' with the
// provider's id, then a receipt or the receipt expiry settles it. The old statuses are mapped
// onto the new ones: 'pending' rows were claimed by a process that may have sent them, so they
// are 'unknown', never sent again.
// message_events keeps every status change with its time and what reported it (the outbox, an
// SMPP receipt, the receipt webhook, the expiry sweep), for `state messages` and the receipt
// latency. received_messages holds replies and other messages handsets sent us; suppressions
// is the opt-out list every notification consults; concat_references hands out the reference
// of long messages per destination and day; optout_imports is how far the provider's opt-out
// list has been read.
constexpr std::string_view kV6[] = {
    R"sql(ALTER TABLE messages ADD COLUMN text TEXT NOT NULL DEFAULT '')sql",
    R"sql(ALTER TABLE messages ADD COLUMN originator TEXT NOT NULL DEFAULT '')sql",
    R"sql(ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0)sql",
    R"sql(ALTER TABLE messages ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0)sql",
    R"sql(ALTER TABLE messages ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0)sql",
    R"sql(ALTER TABLE messages ADD COLUMN holder TEXT NOT NULL DEFAULT '')sql",
    R"sql(ALTER TABLE messages ADD COLUMN submitted_at BIGINT NOT NULL DEFAULT 0)sql",
    R"sql(UPDATE messages SET status = 'unknown' WHERE status = 'pending')sql",
    R"sql(UPDATE messages SET status = 'submitted', submitted_at = updated_at
  WHERE status IN ('sent', 'accepted', 'enroute'))sql",
    R"sql(UPDATE messages SET status = 'failed'
  WHERE status IN ('dropped', 'undeliverable', 'rejected', 'deleted'))sql",
    R"sql(CREATE INDEX messages_due ON messages (status, notifier, next_attempt_at))sql",
    R"sql(CREATE TABLE message_events (
  message BIGINT NOT NULL,
  at BIGINT NOT NULL,
  status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT ''
))sql",
    R"sql(CREATE INDEX message_events_by_message ON message_events (message, at))sql",
    R"sql(CREATE TABLE received_messages (
  {id},
  dedup_key TEXT NOT NULL UNIQUE CHECK (dedup_key <> ''),
  notifier TEXT NOT NULL DEFAULT '',
  provider_id TEXT NOT NULL DEFAULT '',
  originator TEXT NOT NULL,
  recipient TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  in_reply_to BIGINT NOT NULL DEFAULT 0,
  action TEXT NOT NULL DEFAULT '',
  received_at BIGINT NOT NULL,
  stored_at BIGINT NOT NULL
))sql",
    R"sql(CREATE INDEX received_messages_by_originator ON received_messages (originator, id))sql",
    R"sql(CREATE TABLE suppressions (
  msisdn TEXT{bytewise} NOT NULL CHECK (msisdn <> ''),
  channel TEXT{bytewise} NOT NULL DEFAULT 'sms',
  origin TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  opted_out_at BIGINT NOT NULL,
  provider_synced_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (msisdn, channel)
) {clustered})sql",
    R"sql(CREATE TABLE concat_references (
  recipient TEXT{bytewise} NOT NULL,
  day BIGINT NOT NULL,
  next_reference BIGINT NOT NULL,
  PRIMARY KEY (recipient, day)
) {clustered})sql",
    R"sql(CREATE TABLE optout_imports (
  source TEXT{bytewise} NOT NULL PRIMARY KEY CHECK (source <> ''),
  imported_through TEXT NOT NULL,
  imported_at BIGINT NOT NULL
))sql",
};

// The number memo by spelling: the raw source cell as written ("07930 123456", "+44 7930-123456")
// and the E.164 number libphonenumber made of it, per job, default region and engine, so a
// spelling seen before skips the library whatever its shape (canonical_numbers holds only cells
// already in E.164 digits). Per job so each job bounds its own rows (sync/spelling_memo_upkeep).
constexpr std::string_view kV7[] = {
    R"sql(CREATE TABLE number_spellings (
  job TEXT{bytewise} NOT NULL,
  region TEXT{bytewise} NOT NULL,
  engine TEXT{bytewise} NOT NULL,
  spelling TEXT{bytewise} NOT NULL,
  number BIGINT NOT NULL,
  PRIMARY KEY (job, region, engine, spelling)
) {clustered})sql",
};

constexpr Migration kMigrations[] = {
    {1, "subscriptions and runs", kV1},
    {2, "canonical number memo", kV2},
    {3, "incremental source cursors", kV3},
    {4, "sent messages and number lookups", kV4},
    {5, "job leases", kV5},
    {6, "outbox, receipts history, replies and opt-outs", kV6},
    {7, "number memo by spelling", kV7},
};

struct Spelling {
  std::string_view placeholder, sqlite, postgres;
};

// Rendered for SQLite, the statements are exactly the SQL shipped before PostgreSQL was
// supported, so existing state files keep the schema text they were created with.
constexpr Spelling kSpellings[] = {
    // "Store this table in primary-key order": PostgreSQL has no such clause.
    {"{clustered}", "WITHOUT ROWID", ""},
    {"{id}", "id INTEGER PRIMARY KEY", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"{bytewise}", "", " COLLATE \"C\""},
};

// Any number on PostgreSQL's advisory-lock key space that no other feature of ours uses.
constexpr std::int64_t kSchemaLockKey = 0x6d6f6269'73796e63;  // "mobisync"

// Serialises processes migrating one PostgreSQL database: its transactions lock only the rows
// they write, so two could both read version 0 and both create the tables. SQLite's IMMEDIATE
// transaction already keeps every other writer out.
void lockSchema(Poco::Data::Session& session) {
  if (dialectOf(session) == Dialect::Postgres) {
    session << "SELECT pg_advisory_xact_lock(" + std::to_string(kSchemaLockKey) + ")", now;
  }
}

using values::nowMs;

void checkOrder(std::span<const Migration> list) {
  int expected = 1;
  for (const Migration& m : list) {
    if (m.version != expected) {
      // A programming error in this file, not a property of the database.
      throw std::logic_error("state migrations out of order: expected version " +
                             std::to_string(expected) + ", found " + std::to_string(m.version));
    }
    ++expected;
  }
}

void refuseNewer(const std::string& path, int found, int known) {
  if (found > known) {
    throw StateError("state " + path + " has schema version " + std::to_string(found) +
                     ", this mobisync knows up to " + std::to_string(known) +
                     "; upgrade mobisync");
  }
}

}  // namespace

std::string renderMigrationSql(std::string_view sql, Dialect dialect) {
  std::string out(sql);
  for (const Spelling& s : kSpellings) {
    const std::string_view with = dialect == Dialect::Sqlite ? s.sqlite : s.postgres;
    for (std::size_t at = out.find(s.placeholder); at != std::string::npos;
         at = out.find(s.placeholder, at + with.size())) {
      out.replace(at, s.placeholder.size(), with);
    }
  }
  return out;
}

std::span<const Migration> migrations() { return kMigrations; }

int latestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

int recordedSchemaVersion(Poco::Data::Session& session) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
      now;
  int version = 0;
  session << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
  return version;
}

int migrate(Poco::Data::Session& session, const std::string& path,
            std::span<const Migration> list) {
  checkOrder(list);
  const int known = static_cast<int>(list.size());
  const Dialect dialect = dialectOf(session);
  int version = 0;
  try {
    if (dialect == Dialect::Postgres) {
      // Creating schema_migrations races with another process doing the same.
      WriteTransaction tx(session);
      lockSchema(session);
      version = recordedSchemaVersion(session);
      tx.commit();
    } else {
      version = recordedSchemaVersion(session);
    }
  } catch (...) {
    rethrowAsStateError(path, "read the schema version");
  }
  refuseNewer(path, version, known);

  for (const Migration& m : list) {
    if (m.version <= version) {
      continue;
    }
    try {
      WriteTransaction tx(session);
      lockSchema(session);
      // Another process may have migrated between our read and our write lock.
      version = recordedSchemaVersion(session);
      refuseNewer(path, version, known);
      if (m.version <= version) {
        continue;
      }
      for (std::string_view sql : m.statements) {
        session << renderMigrationSql(sql, dialect), now;
      }
      int v = m.version;
      std::string description(m.description);
      std::int64_t applied_at = nowMs();
      session << sqlFor(dialect,
                        "INSERT INTO schema_migrations (version, description, applied_at) "
                        "VALUES (?, ?, ?)"),
          use(v), use(description), use(applied_at), now;
      tx.commit();
      version = m.version;
    } catch (...) {
      rethrowAsStateError(path, "apply schema migration " + std::to_string(m.version) + " (" +
                                    std::string(m.description) + ")");
    }
  }
  return version;
}

}  // namespace mobisync::state
