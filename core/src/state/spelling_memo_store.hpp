// SPDX-License-Identifier: Apache-2.0
// SpellingMemoStore: the number_spellings table, the memo of raw spellings per job.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/state_store.hpp"

namespace mobisync::state {

/// A raw source cell and the E.164 number (as an integer) the engine made of it.
using SpellingRow = std::pair<std::string, std::int64_t>;

/// The `number_spellings` table over the store's session: per job, default region and engine
/// (the normaliser's exact version), the spellings whose answers a later run may reuse. A cache:
/// losing rows costs time, never an answer. Borrows the store; same threading rule as the store.
/// Throws StateError on database failures.
class SpellingMemoStore {
 public:
  explicit SpellingMemoStore(StateStore& store) : store_(store) {}

  /// Calls `f` for every spelling of (job, region, engine), page by page, in byte order.
  void forEach(const std::string& job, const std::string& region, const std::string& engine,
               const std::function<void(std::string_view, std::int64_t)>& f);
  /// Adds rows (a spelling already there keeps its row) in one transaction.
  void add(const std::string& job, const std::string& region, const std::string& engine,
           const std::vector<SpellingRow>& rows);
  /// Replaces every row of `job` (any region, any engine) with `rows`, in one transaction.
  void replace(const std::string& job, const std::string& region, const std::string& engine,
               const std::vector<SpellingRow>& rows);

 private:
  void insert(const std::string& job, const std::string& region, const std::string& engine,
              const std::vector<SpellingRow>& rows);
  StateStore& store_;
};

}  // namespace mobisync::state
