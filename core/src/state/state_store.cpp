// SPDX-License-Identifier: Apache-2.0
// StateStore on Poco::Data (SQLite or PostgreSQL): opening and migrating, the write fence, and
// whole-job operations. Pairs, runs and the number memo are in state_store_{pairs,runs,memo}.cpp.
#include "state/state_store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/lease_store.hpp"
#include "state/migrations.hpp"
#include "state/state_error.hpp"
#include "state/state_store_impl.hpp"

namespace mobisync::state {

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

}  // namespace mobisync::state
