// SPDX-License-Identifier: Apache-2.0
// StateStore tests' shared helpers: a scratch directory, pair changes and flattened rows.
#pragma once

// behaviour on a real PostgreSQL database.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/migrations.hpp"
#include "state/sqlite_session.hpp"
#include "state/state_error.hpp"
#include "state/state_store.hpp"
#include "support/state_backends.hpp"

namespace state_store_fixture {

using mobisync::state::PairChange;
using mobisync::state::PairRow;
using mobisync::state::RunRecord;
using mobisync::state::StateError;
using mobisync::state::StateStore;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Pairs = std::vector<std::pair<std::string, std::string>>;

// A private directory removed with everything in it, so file tests never see each other's state.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mobisync-state-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      FAIL("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline PairChange upsert(std::string msisdn, std::string application, std::string name = "",
                         std::string reference = "") {
  return {PairChange::Kind::Upsert,
          {std::move(msisdn), std::move(application), std::move(name), std::move(reference)}};
}

inline PairChange erase(std::string msisdn, std::string application) {
  return {PairChange::Kind::Erase, {std::move(msisdn), std::move(application), "", ""}};
}

// Flattens rows so a failing CHECK prints every field.
inline std::vector<std::string> flat(const std::vector<PairRow>& rows) {
  std::vector<std::string> out;
  for (const PairRow& r : rows) {
    out.push_back(r.msisdn + "|" + r.application + "|" + r.name + "|" + r.reference);
  }
  return out;
}

inline std::vector<std::string> flat(const RunRecord& r) {
  return {std::to_string(r.id),         r.job,
          r.mode,                       r.outcome,
          std::to_string(r.started_at_ms), std::to_string(r.ended_at_ms),
          std::to_string(r.fetched),    std::to_string(r.rejected),
          std::to_string(r.added),      std::to_string(r.removed),
          std::to_string(r.updated),    std::to_string(r.failed),
          std::to_string(r.held),       r.message};
}

inline int countMigrationRows(const std::string& path) {
  Poco::Data::Session raw = mobisync::state::openSqliteSession(path);
  int rows = 0;
  raw << "SELECT COUNT(*) FROM schema_migrations", into(rows), now;
  return rows;
}

inline std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const StateError& e) {
    return e.what();
  }
  return "(no StateError)";
}

}  // namespace state_store_fixture
