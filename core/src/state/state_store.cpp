// SPDX-License-Identifier: Apache-2.0
// StateStore on Poco::Data (SQLite or PostgreSQL): migrations, paged reads and batched writes.
#include "state/state_store.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <limits>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/TypeHandler.h>

#include "state/lease_store.hpp"
#include "state/migrations.hpp"
#include "state/state_session.hpp"
#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace Poco::Data {

// Rows extract as whole values, so forEachPair hands each one on with a single move. Against four
// column vectors it measured no slower on the million-row read (within noise).
template <>
class TypeHandler<mobisync::state::PairRow> {
 public:
  static std::size_t size() { return 4; }
  static void prepare(std::size_t pos, const mobisync::state::PairRow& row,
                      AbstractPreparator::Ptr p) {
    TypeHandler<std::string>::prepare(pos++, row.msisdn, p);
    TypeHandler<std::string>::prepare(pos++, row.application, p);
    TypeHandler<std::string>::prepare(pos++, row.name, p);
    TypeHandler<std::string>::prepare(pos, row.reference, p);
  }
  static void extract(std::size_t pos, mobisync::state::PairRow& row,
                      const mobisync::state::PairRow& def, AbstractExtractor::Ptr e) {
    TypeHandler<std::string>::extract(pos++, row.msisdn, def.msisdn, e);
    TypeHandler<std::string>::extract(pos++, row.application, def.application, e);
    TypeHandler<std::string>::extract(pos++, row.name, def.name, e);
    TypeHandler<std::string>::extract(pos, row.reference, def.reference, e);
  }
};

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

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Rows fetched per page of forEachPair and canonicalNumbers: enough that per-page overhead
// vanishes, few enough that a page holds a few megabytes however large the job. PostgreSQL's
// connector buffers a statement's whole result, so the bound has to be in the SQL (LIMIT).
constexpr std::size_t kPairsPerStep = 10000;

const std::string kPairColumns = "msisdn, application, name, reference";
const std::string kRunColumns =
    "id, job, mode, outcome, started_at, ended_at, fetched, rejected, added, removed, updated, "
    "failed, held, message";

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct StateStore::Impl {
  explicit Impl(const StateLocation& where)
      : path(where.display()), dialect(where.dialect()), session(openStateSession(where)) {}
  std::string path;
  Dialect dialect;
  Poco::Data::Session session;
  /// The lease fencing this connection's writes of one job: (job, token); empty job when none.
  std::string fenced_job;
  std::int64_t fence_token = 0;

  std::string sql(std::string_view text) const { return sqlFor(dialect, text); }
};

StateStore::StateStore(const std::string& path) : StateStore(StateLocation{path, "", ""}) {}

StateStore::StateStore(const StateLocation& where) {
  impl_ = std::make_unique<Impl>(where);
  migrate(impl_->session, impl_->path);
}

StateStore::~StateStore() = default;

Poco::Data::Session& StateStore::session() { return impl_->session; }

void StateStore::fenceJob(const std::string& job, std::int64_t token) {
  impl_->fenced_job = job;
  impl_->fence_token = token;
}

void StateStore::unfenceJob() {
  impl_->fenced_job.clear();
  impl_->fence_token = 0;
}

void StateStore::checkFence(const std::string& job) {
  if (!impl_->fenced_job.empty() && job == impl_->fenced_job) {
    LeaseStore(impl_->session, impl_->path).checkToken(job, impl_->fence_token);
  }
}

Dialect StateStore::dialect() const { return impl_->dialect; }

std::string StateStore::sql(std::string_view text) const { return impl_->sql(text); }

const std::string& StateStore::path() const { return impl_->path; }

int StateStore::schemaVersion() {
  try {
    return recordedSchemaVersion(impl_->session);
  } catch (...) {
    rethrowAsStateError(impl_->path, "read the schema version");
  }
}

void StateStore::forEachPair(const std::string& job, const std::function<void(PairRow&&)>& fn) {
  std::vector<PairRow> rows;
  rows.reserve(kPairsPerStep);
  // Keyset paging: each page starts after the last key of the previous one, found by a seek in
  // the primary key. Pages are separate statements, so a page sees writes committed since the
  // last one; a job's pairs are written only by the run that holds the job, which is the caller.
  std::string bound_job = job, after_msisdn, after_application;
  const std::string sql = impl_->sql(
      "SELECT " + kPairColumns +
      " FROM subscriptions WHERE job = ? AND (msisdn, application) > (?, ?)"
      " ORDER BY msisdn, application LIMIT " + std::to_string(kPairsPerStep));
  for (;;) {
    rows.clear();
    try {
      impl_->session << sql, use(bound_job), use(after_msisdn), use(after_application),
          into(rows), now;
    } catch (...) {
      rethrowAsStateError(impl_->path, "read the pairs of job " + job);
    }
    if (rows.empty()) {
      return;
    }
    const bool last_page = rows.size() < kPairsPerStep;
    after_msisdn = rows.back().msisdn;
    after_application = rows.back().application;
    // fn runs outside the try: its own exceptions are the caller's, not a state failure.
    for (PairRow& row : rows) {
      fn(std::move(row));
    }
    if (last_page) {
      return;
    }
  }
}

std::vector<PairRow> StateStore::pairs(const std::string& job) {
  std::vector<PairRow> out;
  forEachPair(job, [&out](PairRow&& row) { out.push_back(std::move(row)); });
  return out;
}

std::int64_t StateStore::countPairs(const std::string& job) {
  try {
    std::string bound_job = job;
    std::int64_t count = 0;
    impl_->session << impl_->sql("SELECT COUNT(*) FROM subscriptions WHERE job = ?"),
        use(bound_job), into(count), now;
    return count;
  } catch (...) {
    rethrowAsStateError(impl_->path, "count the pairs of job " + job);
  }
}

std::vector<bool> StateStore::heldByOtherJobs(
    const std::string& job, const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (pairs.empty()) {
    return {};
  }
  std::vector<std::string> msisdns, applications, jobs;
  msisdns.reserve(pairs.size());
  applications.reserve(pairs.size());
  for (const auto& [msisdn, application] : pairs) {
    msisdns.push_back(msisdn);
    applications.push_back(application);
  }
  jobs.assign(pairs.size(), job);
  std::vector<std::int64_t> held;
  held.reserve(pairs.size());
  try {
    // Vector bindings run the one prepared statement once per candidate, each yielding exactly
    // one row, so `held` lines up with `pairs`. The inner LIMIT stops at the first other owner.
    impl_->session << impl_->sql("SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions "
                                 "WHERE msisdn = ? AND application = ? AND job <> ? LIMIT 1)"
                                 " AS other"),
        use(msisdns), use(applications), use(jobs), into(held), now;
  } catch (...) {
    rethrowAsStateError(impl_->path, "check ownership of " + std::to_string(pairs.size()) +
                                         " pairs for job " + job);
  }
  if (held.size() != pairs.size()) {
    throw StateError("state " + impl_->path + ": ownership check returned " +
                     std::to_string(held.size()) + " answers for " +
                     std::to_string(pairs.size()) + " pairs");
  }
  std::vector<bool> out;
  out.reserve(held.size());
  for (std::int64_t h : held) {
    out.push_back(h != 0);
  }
  return out;
}

std::vector<std::int64_t> StateStore::canonicalNumbers(const std::string& region,
                                                       const std::string& engine) {
  std::vector<std::int64_t> out;
  try {
    std::string r = region, e = engine;
    // Paged like forEachPair, so the driver never holds the whole memo as text at once.
    const std::string sql = impl_->sql(
        "SELECT number FROM canonical_numbers WHERE region = ? AND engine = ? AND number > ? "
        "ORDER BY number LIMIT " + std::to_string(kPairsPerStep));
    std::vector<std::int64_t> page;
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    do {
      page.clear();
      impl_->session << sql, use(r), use(e), use(after), into(page), now;
      out.insert(out.end(), page.begin(), page.end());
      if (!page.empty()) after = page.back();
    } while (page.size() == kPairsPerStep);
  } catch (...) {
    rethrowAsStateError(impl_->path, "read the canonical number memo");
  }
  return out;
}

void StateStore::addCanonicalNumbers(const std::string& region, const std::string& engine,
                                     const std::vector<std::int64_t>& numbers) {
  if (numbers.empty()) {
    return;
  }
  try {
    std::vector<std::string> regions(numbers.size(), region), engines(numbers.size(), engine);
    std::vector<std::int64_t> values = numbers;
    WriteTransaction tx(impl_->session);
    impl_->session << impl_->sql("INSERT INTO canonical_numbers (region, engine, number) "
                                 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
        use(regions), use(engines), use(values), now;
    tx.commit();
  } catch (...) {
    rethrowAsStateError(impl_->path, "record " + std::to_string(numbers.size()) +
                                         " canonical numbers");
  }
}

void StateStore::apply(const std::string& job, const std::vector<PairChange>& changes) {
  if (changes.empty()) {
    return;
  }
  try {
    WriteTransaction tx(impl_->session);
    checkFence(job);
    const std::int64_t confirmed_at = nowMs();
    std::vector<std::string> jobs, msisdns, applications, names, references;
    std::vector<std::int64_t> stamps;
    // Changes run in their given order, grouped into runs of the same kind: each run is one
    // statement prepared once and stepped per row through vector bindings. Order matters when a
    // batch upserts and then erases the same pair.
    std::size_t begin = 0;
    while (begin < changes.size()) {
      const PairChange::Kind kind = changes[begin].kind;
      std::size_t end = begin;
      jobs.clear();
      msisdns.clear();
      applications.clear();
      names.clear();
      references.clear();
      for (; end < changes.size() && changes[end].kind == kind; ++end) {
        const PairRow& row = changes[end].row;
        msisdns.push_back(row.msisdn);
        applications.push_back(row.application);
        if (kind == PairChange::Kind::Upsert) {
          names.push_back(row.name);
          references.push_back(row.reference);
        }
      }
      jobs.assign(end - begin, job);
      if (kind == PairChange::Kind::Upsert) {
        stamps.assign(end - begin, confirmed_at);
        impl_->session
            << impl_->sql(
                   "INSERT INTO subscriptions (job, msisdn, application, name, reference, "
                   "confirmed_at) VALUES (?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (job, msisdn, application) DO UPDATE SET name = excluded.name, "
                   "reference = excluded.reference, confirmed_at = excluded.confirmed_at"),
            use(jobs), use(msisdns), use(applications), use(names), use(references),
            use(stamps), now;
      } else {
        impl_->session << impl_->sql("DELETE FROM subscriptions WHERE job = ? AND msisdn = ? "
                                     "AND application = ?"),
            use(jobs), use(msisdns), use(applications), now;
      }
      begin = end;
    }
    tx.commit();
  } catch (...) {
    rethrowAsStateError(impl_->path, "apply " + std::to_string(changes.size()) +
                                         (changes.size() == 1 ? " change" : " changes"));
  }
}

std::int64_t StateStore::resetJob(const std::string& job) {
  try {
    std::string bound_job = job;
    Poco::Data::Statement erase(impl_->session);
    erase << impl_->sql("DELETE FROM subscriptions WHERE job = ?"), use(bound_job);
    return static_cast<std::int64_t>(erase.execute());
  } catch (...) {
    rethrowAsStateError(impl_->path, "reset job " + job);
  }
}

std::vector<std::string> StateStore::jobs() {
  std::vector<std::string> out;
  try {
    // A loose index scan: each step seeks the next job name in the primary key, so the cost
    // grows with the number of jobs, not with the million pairs a job may hold.
    impl_->session << "WITH RECURSIVE pair_jobs (job) AS ("
                      " SELECT MIN(job) FROM subscriptions"
                      " UNION ALL"
                      " SELECT (SELECT MIN(s.job) FROM subscriptions s WHERE s.job > p.job)"
                      " FROM pair_jobs p WHERE p.job IS NOT NULL)"
                      " SELECT job FROM pair_jobs WHERE job IS NOT NULL"
                      " UNION SELECT job FROM runs ORDER BY 1",
        into(out), now;
  } catch (...) {
    rethrowAsStateError(impl_->path, "list jobs");
  }
  return out;
}

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
