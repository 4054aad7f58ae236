// SPDX-License-Identifier: Apache-2.0
// StateStore::Impl: the open session the store's files share (state_store*.cpp only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <Poco/Data/Session.h>

#include "state/state_session.hpp"
#include "state/state_store.hpp"

namespace mobisync::state {

// The binding keywords every statement of the store's files uses.
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Rows fetched per page of forEachPair and canonicalNumbers: enough that per-page overhead
// vanishes, few enough that a page holds a few megabytes however large the job. PostgreSQL's
// connector buffers a statement's whole result, so the bound has to be in the SQL (LIMIT).
constexpr std::size_t kPairsPerStep = 10000;

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

}  // namespace mobisync::state
