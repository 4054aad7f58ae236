// SPDX-License-Identifier: Apache-2.0
// SpellingMemoStore on the state's Poco::Data session.
#include "state/spelling_memo_store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "state/state_error.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {
// Rows per page when loading: PostgreSQL's connector buffers a statement's whole result, so the
// bound is in the SQL; a page of this size holds about a megabyte.
constexpr int kRowsPerPage = 20000;
}  // namespace

void SpellingMemoStore::forEach(const std::string& job, const std::string& region,
                                const std::string& engine,
                                const std::function<void(std::string_view, std::int64_t)>& f) {
  try {
    std::string j = job, r = region, e = engine, after;
    const std::string sql = store_.sql(
        "SELECT spelling, number FROM number_spellings WHERE job = ? AND region = ? AND "
        "engine = ? AND spelling > ? ORDER BY spelling LIMIT " + std::to_string(kRowsPerPage));
    std::vector<std::string> spellings;
    std::vector<Poco::Int64> numbers;
    do {
      spellings.clear();
      numbers.clear();
      store_.session() << sql, use(j), use(r), use(e), use(after), into(spellings),
          into(numbers), now;
      for (std::size_t i = 0; i < spellings.size(); ++i) f(spellings[i], numbers[i]);
      if (!spellings.empty()) after = spellings.back();
    } while (spellings.size() == static_cast<std::size_t>(kRowsPerPage));
  } catch (...) {
    rethrowAsStateError(store_.path(), "read the number memo of job " + job);
  }
}

void SpellingMemoStore::insert(const std::string& job, const std::string& region,
                               const std::string& engine, const std::vector<SpellingRow>& rows) {
  if (rows.empty()) return;
  std::vector<std::string> jobs(rows.size(), job), regions(rows.size(), region),
      engines(rows.size(), engine), spellings;
  std::vector<Poco::Int64> numbers;
  spellings.reserve(rows.size());
  numbers.reserve(rows.size());
  for (const auto& [s, n] : rows) {
    spellings.push_back(s);
    numbers.push_back(n);
  }
  store_.session() << store_.sql("INSERT INTO number_spellings (job, region, engine, spelling, "
                                 "number) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
      use(jobs), use(regions), use(engines), use(spellings), use(numbers), now;
}

void SpellingMemoStore::add(const std::string& job, const std::string& region,
                            const std::string& engine, const std::vector<SpellingRow>& rows) {
  if (rows.empty()) return;
  try {
    WriteTransaction tx(store_.session());
    insert(job, region, engine, rows);
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "record " + std::to_string(rows.size()) +
                                           " spellings in the number memo of job " + job);
  }
}

void SpellingMemoStore::replace(const std::string& job, const std::string& region,
                                const std::string& engine, const std::vector<SpellingRow>& rows) {
  try {
    std::string j = job;
    WriteTransaction tx(store_.session());
    store_.session() << store_.sql("DELETE FROM number_spellings WHERE job = ?"), use(j), now;
    insert(job, region, engine, rows);
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "rewrite the number memo of job " + job);
  }
}

}  // namespace mobisync::state
