// SPDX-License-Identifier: Apache-2.0
// StateStore's run history: a row per run, begun before the source is read, finished with its
// counts and outcome.
#include <array>
#include <cstddef>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/TypeHandler.h>

#include "state/state_error.hpp"
#include "state/state_store.hpp"
#include "state/state_store_impl.hpp"
#include "state/write_transaction.hpp"

namespace Poco::Data {

template <>
class TypeHandler<mobisync::state::RunRecord> {
  // The nine integer columns between outcome and message, in SELECT order.
  template <class Run>
  static auto counters(Run& r) {
    return std::array{&r.started_at_ms, &r.ended_at_ms, &r.fetched, &r.rejected, &r.added,
                      &r.removed,       &r.updated,     &r.failed,  &r.held};
  }

 public:
  static std::size_t size() { return 14; }
  static void prepare(std::size_t pos, const mobisync::state::RunRecord& r,
                      AbstractPreparator::Ptr p) {
    TypeHandler<Poco::Int64>::prepare(pos++, r.id, p);
    TypeHandler<std::string>::prepare(pos++, r.job, p);
    TypeHandler<std::string>::prepare(pos++, r.mode, p);
    TypeHandler<std::string>::prepare(pos++, r.outcome, p);
    for (const std::int64_t* v : counters(r)) {
      TypeHandler<Poco::Int64>::prepare(pos++, *v, p);
    }
    TypeHandler<std::string>::prepare(pos, r.message, p);
  }
  static void extract(std::size_t pos, mobisync::state::RunRecord& r,
                      const mobisync::state::RunRecord& def, AbstractExtractor::Ptr e) {
    TypeHandler<Poco::Int64>::extract(pos++, r.id, def.id, e);
    TypeHandler<std::string>::extract(pos++, r.job, def.job, e);
    TypeHandler<std::string>::extract(pos++, r.mode, def.mode, e);
    TypeHandler<std::string>::extract(pos++, r.outcome, def.outcome, e);
    const auto defaults = counters(def);
    std::size_t i = 0;
    for (std::int64_t* v : counters(r)) {
      // ended_at is NULL while a run is in progress; the default (0) stands for it.
      TypeHandler<Poco::Int64>::extract(pos++, *v, *defaults[i++], e);
    }
    TypeHandler<std::string>::extract(pos, r.message, def.message, e);
  }
};

}  // namespace Poco::Data

namespace mobisync::state {
namespace {

const std::string kRunColumns =
    "id, job, mode, outcome, started_at, ended_at, fetched, rejected, added, removed, updated, "
    "failed, held, message";

}  // namespace

std::int64_t StateStore::beginRun(const std::string& job, const std::string& mode,
                                  std::int64_t now_ms) {
  try {
    std::string bound_job = job, bound_mode = mode;
    std::int64_t started_at = now_ms;
    std::int64_t id = 0;
    WriteTransaction tx(impl_->session);
    checkFence(job);
    // RETURNING is understood by SQLite (3.35+) and PostgreSQL alike, unlike last_insert_rowid().
    impl_->session << impl_->sql("INSERT INTO runs (job, mode, outcome, started_at) "
                                 "VALUES (?, ?, 'running', ?) RETURNING id"),
        use(bound_job), use(bound_mode), use(started_at), into(id), now;
    tx.commit();
    return id;
  } catch (...) {
    rethrowAsStateError(impl_->path, "record the start of a run of job " + job);
  }
}

void StateStore::finishRun(const RunRecord& record) {
  std::size_t updated = 0;
  try {
    RunRecord r = record;
    WriteTransaction tx(impl_->session);
    checkFence(r.job);
    Poco::Data::Statement update(impl_->session);
    update << impl_->sql("UPDATE runs SET outcome = ?, ended_at = ?, fetched = ?, rejected = ?, "
                         "added = ?, removed = ?, updated = ?, failed = ?, held = ?, message = ? "
                         "WHERE id = ?"),
        use(r.outcome), use(r.ended_at_ms), use(r.fetched), use(r.rejected), use(r.added),
        use(r.removed), use(r.updated), use(r.failed), use(r.held), use(r.message), use(r.id);
    updated = update.execute();
    tx.commit();
  } catch (...) {
    rethrowAsStateError(impl_->path, "record the end of run " + std::to_string(record.id));
  }
  if (updated != 1) {
    throw StateError("state " + impl_->path + ": cannot record the end of run " +
                     std::to_string(record.id) + ": no such run");
  }
}

std::vector<RunRecord> StateStore::runs(const std::string& job, int limit_runs) {
  std::vector<RunRecord> out;
  try {
    std::string bound_job = job;
    // Ids grow with every beginRun, so id order is start order even if the clock stepped back.
    std::string sql = "SELECT " + kRunColumns + " FROM runs";
    if (!job.empty()) {
      sql += " WHERE job = ?";
    }
    sql += " ORDER BY id DESC";
    // A non-positive limit means no limit: "all runs" is what `state show` asks for.
    if (limit_runs > 0) {
      sql += " LIMIT " + std::to_string(limit_runs);
    }
    Poco::Data::Statement select(impl_->session);
    select << impl_->sql(sql), into(out);
    if (!job.empty()) {
      select.addBind(use(bound_job));
    }
    select.execute();
  } catch (...) {
    rethrowAsStateError(impl_->path, "read the runs" + (job.empty() ? "" : " of job " + job));
  }
  return out;
}

}  // namespace mobisync::state
