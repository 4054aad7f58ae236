// SPDX-License-Identifier: Apache-2.0
// recordSpellingMemo: append what is new; rewrite only when stale rows outnumber live ones.
#include "sync/spelling_memo_upkeep.hpp"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <set>
#include <utility>
#include <vector>

#include <Poco/Logger.h>

#include "model/msisdn.hpp"
#include "state/spelling_memo_store.hpp"

namespace mobisync::sync {

namespace {

state::SpellingRows firstRows(const state::SpellingRows& rows, std::size_t n) {
  state::SpellingRows out;
  for (std::size_t i = 0; i < n && i < rows.size(); ++i) out.add(rows.spelling(i), rows.number(i));
  return out;
}

}  // namespace

SpellingUpkeep chooseSpellingUpkeep(std::size_t stored, std::size_t used, std::size_t fresh,
                                    bool complete_full_read) {
  // A first memo of this region and engine: rows of others (an upgrade) are of no use.
  if (stored == 0 && fresh > 0) return SpellingUpkeep::Replace;
  if (complete_full_read && stored + fresh > 2 * (used + fresh) + kSpellingMemoSlack) {
    return SpellingUpkeep::Replace;
  }
  if (fresh > 0 && stored < kSpellingMemoMaxRows) return SpellingUpkeep::Add;
  return SpellingUpkeep::Nothing;
}

void recordSpellingMemo(state::StateStore& store, const std::string& job, const SourceRead& read) {
  const model::SpellingMemo& memo = read.memo.spellings;
  const auto& fresh = read.source.new_spellings;
  const bool complete = read.status.isOk() && !read.source.incremental;
  const SpellingUpkeep what =
      chooseSpellingUpkeep(memo.size(), memo.usedCount(), fresh.size(), complete);
  if (what == SpellingUpkeep::Nothing) return;
  const std::string& engine = model::MsisdnNormalizer::engineTag();
  try {
    state::SpellingMemoStore rows(store);
    if (what == SpellingUpkeep::Add) {
      // Up to the bound: what does not fit is normalised again next time.
      const std::size_t room = kSpellingMemoMaxRows - memo.size();
      if (fresh.size() <= room) {
        rows.add(job, read.memo_region, engine, fresh);
      } else {
        rows.add(job, read.memo_region, engine, firstRows(fresh, room));
      }
      return;
    }
    // The spellings this read used, then the new ones: two lists, so the new ones (a million
    // on a first run) are not copied.
    state::SpellingRows used;
    memo.forEachUsed([&](std::string_view s, std::int64_t n) {
      if (used.size() < kSpellingMemoMaxRows) used.add(s, n);
    });
    const std::size_t room = kSpellingMemoMaxRows - used.size();
    if (fresh.size() <= room) {
      rows.replace(job, read.memo_region, engine, used, fresh);
    } else {
      rows.replace(job, read.memo_region, engine, used, firstRows(fresh, room));
    }
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.sync")
        .warning("job %s: cannot record the memo of number spellings: %s", job,
                 std::string(e.what()));
  }
}

void dropUnusedSpellingMemos(state::StateStore& store,
                             const std::vector<config::JobConfig>& jobs) {
  std::set<std::pair<std::string, std::string>> configured;
  for (const auto& j : jobs) configured.emplace(j.name, memoRegion(j));
  try {
    state::SpellingMemoStore rows(store);
    for (const auto& [job, region] : rows.jobRegions()) {
      if (configured.count({job, region}) != 0) continue;
      const std::int64_t n = rows.drop(job, region);
      Poco::Logger::get("mobisync.sync")
          .information("number memo: dropped %s spellings of job %s, region %s: no configured "
                       "job reads with them",
                       std::to_string(n), job, region);
    }
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.sync")
        .warning("cannot drop the number memo of unconfigured jobs: %s", std::string(e.what()));
  }
}

}  // namespace mobisync::sync
