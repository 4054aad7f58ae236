// SPDX-License-Identifier: Apache-2.0
// SpellingMemo: the numbers earlier runs made of each raw spelling, looked up without copying.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mobisync::model {

/// Raw source cells ("07930 123456", "+44-7930-123456") with the E.164 number one engine (the
/// normaliser's exact version, for one default region) made of each. Holding the answer for the
/// exact bytes it was computed from is what makes a lookup give the normaliser's own answer.
/// Compact: one character arena, a flat entry array and an open-addressing table of indexes
/// (about 40 bytes a spelling of 15 characters). Filled on one thread, then sealed; find() may
/// then run on any number of threads, and marks what it found so the caller can tell which
/// entries a run still uses.
class SpellingMemo {
 public:
  /// Longest spelling worth remembering: longer cells are damaged or rare, and unbounded keys
  /// would make the memo's size follow the worst cell rather than the number of rows.
  static constexpr std::size_t kMaxSpellingBytes = 64;

  SpellingMemo() = default;
  SpellingMemo(SpellingMemo&&) noexcept = default;
  SpellingMemo& operator=(SpellingMemo&&) noexcept = default;

  /// Adds a spelling before seal(); an over-long one or a repeated one is ignored.
  void add(std::string_view spelling, std::int64_t number);
  /// Builds the lookup table; add() is refused after it.
  void seal();

  /// The number remembered for exactly these bytes, if any (after seal()).
  std::optional<std::int64_t> find(std::string_view spelling) const;

  std::size_t size() const { return entries_.size(); }
  /// Entries find() returned at least once.
  std::size_t usedCount() const;
  /// Calls `f` for each entry find() returned at least once.
  void forEachUsed(const std::function<void(std::string_view, std::int64_t)>& f) const;

 private:
  struct Entry {
    std::uint32_t offset;
    std::uint32_t length;
    std::int64_t number;
  };
  std::string_view spellingOf(const Entry& e) const { return {arena_.data() + e.offset, e.length}; }
  std::size_t slotOf(std::string_view spelling) const;

  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  ///< entry index + 1; 0 is an empty slot
  std::unique_ptr<std::atomic<bool>[]> used_;
  bool sealed_ = false;
};

}  // namespace mobisync::model
