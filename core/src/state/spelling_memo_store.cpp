// SPDX-License-Identifier: Apache-2.0
// SpellingMemoStore on the state's Poco::Data session.
#include "state/spelling_memo_store.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

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

SpellingRows::SpellingRows(std::initializer_list<SpellingRow> rows) {
  for (const auto& [s, n] : rows) add(s, n);
}

SpellingRows::SpellingRows(const std::vector<SpellingRow>& rows) {
  for (const auto& [s, n] : rows) add(s, n);
}

void SpellingRows::add(std::string_view spelling, std::int64_t number) {
  if (arena_.size() + spelling.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("SpellingRows: over 4 GiB of spellings");
  }
  rows_.push_back(Row{static_cast<std::uint32_t>(arena_.size()),
                      static_cast<std::uint32_t>(spelling.size()), number});
  arena_.append(spelling);
}

void SpellingMemoStore::insert(const std::string& job, const std::string& region,
                               const std::string& engine, const SpellingRows& rows) {
  const std::string sql = store_.sql(
      "INSERT INTO number_spellings (job, region, engine, spelling, number) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  std::vector<std::string> jobs, regions, engines, spellings;
  std::vector<Poco::Int64> numbers;
  for (std::size_t begin = 0; begin < rows.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(rows.size(), begin + kRowsPerInsert);
    jobs.assign(end - begin, job);
    regions.assign(end - begin, region);
    engines.assign(end - begin, engine);
    spellings.clear();
    numbers.clear();
    for (std::size_t i = begin; i < end; ++i) {
      spellings.emplace_back(rows.spelling(i));
      numbers.push_back(rows.number(i));
    }
    store_.session() << sql, use(jobs), use(regions), use(engines), use(spellings), use(numbers),
        now;
  }
}

void SpellingMemoStore::add(const std::string& job, const std::string& region,
                            const std::string& engine, const SpellingRows& rows) {
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

std::vector<std::pair<std::string, std::string>> SpellingMemoStore::jobRegions() {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    // A skip scan by hand: each step seeks past every row of the pair before it.
    const std::string sql = store_.sql(
        "SELECT job, region FROM number_spellings WHERE (job, region) > (?, ?) "
        "ORDER BY job, region LIMIT 1");
    std::string after_job, after_region;
    for (;;) {
      std::vector<std::string> jobs, regions;
      store_.session() << sql, use(after_job), use(after_region), into(jobs), into(regions), now;
      if (jobs.empty()) return out;
      after_job = jobs.front();
      after_region = regions.front();
      out.emplace_back(after_job, after_region);
    }
  } catch (...) {
    rethrowAsStateError(store_.path(), "list the jobs of the number memo");
  }
}

std::int64_t SpellingMemoStore::drop(const std::string& job, const std::string& region) {
  try {
    std::string j = job, r = region;
    Poco::Data::Statement erase(store_.session());
    erase << store_.sql("DELETE FROM number_spellings WHERE job = ? AND region = ?"), use(j),
        use(r);
    return static_cast<std::int64_t>(erase.execute());
  } catch (...) {
    rethrowAsStateError(store_.path(), "drop the number memo of job " + job);
  }
}

void SpellingMemoStore::replace(const std::string& job, const std::string& region,
                                const std::string& engine, const SpellingRows& rows,
                                const SpellingRows& more) {
  try {
    std::string j = job;
    WriteTransaction tx(store_.session());
    store_.session() << store_.sql("DELETE FROM number_spellings WHERE job = ?"), use(j), now;
    insert(job, region, engine, rows);
    insert(job, region, engine, more);
    tx.commit();
  } catch (...) {
    rethrowAsStateError(store_.path(), "rewrite the number memo of job " + job);
  }
}

}  // namespace mobisync::state
