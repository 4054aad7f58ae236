// SPDX-License-Identifier: Apache-2.0
// SpellingMemoStore: the number_spellings table, the memo of raw spellings per job.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/state_store.hpp"

namespace mobisync::state {

/// A raw source cell and the E.164 number (as an integer) the engine made of it.
using SpellingRow = std::pair<std::string, std::int64_t>;

/// Spellings with their numbers, in the order added, packed: one character arena and 16 bytes a
/// row (a spelling of 15 characters takes 31 bytes, against 72 as a SpellingRow with its own
/// allocation). A read that normalises a million new spellings holds them until the run records
/// them, so their size is part of the run's peak of memory.
class SpellingRows {
 public:
  SpellingRows() = default;
  SpellingRows(std::initializer_list<SpellingRow> rows);
  /// Implicit, so a vector of rows (tests, small callers) passes where SpellingRows is taken.
  SpellingRows(const std::vector<SpellingRow>& rows);  // NOLINT(google-explicit-constructor)

  /// Appends a row. Throws std::length_error past 4 GiB of spellings (the memo's bounds keep
  /// it under 256 MiB: kSpellingMemoMaxRows of at most 64 bytes).
  void add(std::string_view spelling, std::int64_t number);
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  std::string_view spelling(std::size_t i) const {
    return {arena_.data() + rows_[i].offset, rows_[i].length};
  }
  std::int64_t number(std::size_t i) const { return rows_[i].number; }

 private:
  struct Row {
    std::uint32_t offset;
    std::uint32_t length;
    std::int64_t number;
  };
  std::string arena_;
  std::vector<Row> rows_;
};

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
  /// Adds rows (a spelling already there keeps its row) in one transaction, in statements of
  /// at most kRowsPerInsert rows so the bound columns stay small however many rows there are.
  void add(const std::string& job, const std::string& region, const std::string& engine,
           const SpellingRows& rows);
  /// The (job, region) pairs that hold rows, in byte order: one index seek per pair, however
  /// many rows each holds.
  std::vector<std::pair<std::string, std::string>> jobRegions();
  /// Deletes every row of (job, region), any engine, in one statement; returns how many.
  std::int64_t drop(const std::string& job, const std::string& region);
  /// Replaces every row of `job` (any region, any engine) with `rows` and then `more` (two
  /// lists, so a caller need not copy both into one), in one transaction.
  void replace(const std::string& job, const std::string& region, const std::string& engine,
               const SpellingRows& rows, const SpellingRows& more = SpellingRows());

 private:
  static constexpr std::size_t kRowsPerInsert = 10000;
  void insert(const std::string& job, const std::string& region, const std::string& engine,
              const SpellingRows& rows);
  StateStore& store_;
};

}  // namespace mobisync::state
