// SPDX-License-Identifier: Apache-2.0
// NumberMemo: what earlier runs learnt of a job's numbers, so later runs skip libphonenumber.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/spelling_memo.hpp"
#include "state/state_store.hpp"

namespace mobisync::sync {

/// Both memos of one job and region, for the running engine (MsisdnNormalizer::engineTag()).
/// Each holds only answers that engine gave for exactly the bytes looked up, so answering from
/// it is the engine's answer by construction.
struct NumberMemo {
  /// Ascending digit strings known to normalise to themselves (shared by the region's jobs).
  std::vector<std::int64_t> canonical;
  /// Any other spelling a previous run of the job normalised ("07930 123456" and the like).
  model::SpellingMemo spellings;
};

/// Most spellings one job's memo holds (about 40 bytes each in memory): past it a run keeps
/// only the spellings it used and found (sync/spelling_memo_upkeep), and a read records no more.
constexpr std::size_t kSpellingMemoMaxRows = 4'000'000;

/// Loads both memos; one that cannot be read is left empty with a warning (it only costs time).
/// The result is sealed, ready for lookups from many threads.
NumberMemo loadNumberMemo(state::StateStore& store, const std::string& job,
                          const std::string& region);

/// The cell as a number when it is nothing but 8 to 15 digits (the form E.164 digits take, and
/// the only answers the memos store: as integers, which keep every digit since E.164 numbers
/// never start with 0).
std::optional<std::int64_t> memoDigits(std::string_view cell);

/// The cell's number from the memos alone, or nullopt: ask the normaliser.
std::optional<std::string> memoAnswer(const NumberMemo& memo, std::string_view raw);

/// Whether the spelling memo may hold `raw`: at most SpellingMemo::kMaxSpellingBytes of valid
/// UTF-8 without control bytes, so every database keeps it byte for byte.
bool storableSpelling(std::string_view raw);

/// What a cell the normaliser accepted as `msisdn` teaches the memos: nothing, a canonical
/// number (the cell was those very digits), or a spelling (any other cell the memo can hold).
enum class MemoLesson { None, Canonical, Spelling };
MemoLesson lessonOf(std::string_view raw, std::string_view msisdn);

}  // namespace mobisync::sync
