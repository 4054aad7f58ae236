// SPDX-License-Identifier: Apache-2.0
// StateStore: the confirmed remote state per (job, msisdn, application), and the run history.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/run_counts.hpp"
#include "state/state_session.hpp"

namespace mobisync::state {

/// One subscription this job created and the provider confirmed.
struct PairRow {
  std::string msisdn;       ///< E.164 digits, no '+'
  std::string application;  ///< canonical token, e.g. "contacts:42"
  std::string name;
  std::string reference;
};

/// A confirmed change to record: Upsert after a confirmed create, Erase after a confirmed remove.
struct PairChange {
  enum class Kind { Upsert, Erase };
  Kind kind;
  PairRow row;  ///< for Erase only msisdn and application matter
};

/// How one run of a job ended, for `state show` and the daemon's history: its counts and more.
struct RunRecord : RunCounts {
  std::int64_t id = 0;
  std::string job;
  std::string mode;         ///< "sync", "dry-run"
  std::string outcome;      ///< "running", "succeeded", "blocked", "failed"
  std::int64_t started_at_ms = 0;
  std::int64_t ended_at_ms = 0;
  std::string message;
};

/// The state through Poco::Data, on SQLite (WAL) or PostgreSQL (see StateLocation), schema
/// migrated to the latest version on open.
/// One instance per process; not thread-safe: the sync runner calls it from one thread.
/// Every method throws Poco::Exception (or std::runtime_error) on database errors; callers on
/// the sync path convert at their edge.
class StateStore {
 public:
  /// Opens or creates the SQLite database at `path` (":memory:" for tests), applies migrations.
  explicit StateStore(const std::string& path);
  /// Opens the state `where` says (SQLite file or PostgreSQL database), applies migrations.
  /// Throws StateError naming where.display() (never the password).
  explicit StateStore(const StateLocation& where);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// The open session, for the state's sub-stores (cursor_store, message_log, hlr_cache) that
  /// live beside this file. Same threading rule as the store.
  Poco::Data::Session& session();
  /// The database path as given, or the PostgreSQL url (without password), for messages.
  const std::string& path() const;
  Dialect dialect() const;
  /// `text` (SQL with `?` placeholders) adapted to this store's dialect; see sqlFor().
  std::string sql(std::string_view text) const;

  /// The schema version after migrations (the number of the last migration applied).
  int schemaVersion();

  /// Calls `fn` for every pair of `job`, ordered by msisdn then application (byte order), in
  /// pages so a million rows never sit in driver buffers at once.
  void forEachPair(const std::string& job, const std::function<void(PairRow&&)>& fn);
  std::vector<PairRow> pairs(const std::string& job);
  std::int64_t countPairs(const std::string& job);

  /// For each candidate (msisdn, application), whether a job other than `job` holds it.
  std::vector<bool> heldByOtherJobs(const std::string& job,
                                    const std::vector<std::pair<std::string, std::string>>& pairs);

  /// From now on, every write of `job`'s confirmed state (apply, beginRun, finishRun, the cursor
  /// store's save) checks in its own transaction that the job's lease still has `token`, and
  /// throws LeaseLost (lease_store.hpp) with nothing written when it does not. One job at a time.
  void fenceJob(const std::string& job, std::int64_t token);
  void unfenceJob();
  /// The fence check for a write of `job` inside the caller's open write transaction; a no-op
  /// for a job that is not fenced.
  void checkFence(const std::string& job);

  /// Records confirmed changes of `job` in one transaction.
  void apply(const std::string& job, const std::vector<PairChange>& changes);

  /// Removes every pair of `job` (the provider is not touched); returns how many.
  std::int64_t resetJob(const std::string& job);

  /// Names of jobs with pairs or runs in this state.
  std::vector<std::string> jobs();

  /// Numbers (E.164 digits as integers) that the normaliser `engine` maps to themselves for
  /// `region`, ascending. A memo, not state: losing it only costs time.
  std::vector<std::int64_t> canonicalNumbers(const std::string& region, const std::string& engine);
  /// Adds numbers to that memo in one transaction; numbers already there are ignored.
  void addCanonicalNumbers(const std::string& region, const std::string& engine,
                           const std::vector<std::int64_t>& numbers);

  std::int64_t beginRun(const std::string& job, const std::string& mode, std::int64_t now_ms);
  /// Writes the final counts and outcome of run `record.id`.
  void finishRun(const RunRecord& record);
  /// The last `limit` runs of `job` (all jobs when empty), newest first.
  std::vector<RunRecord> runs(const std::string& job, int limit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mobisync::state
