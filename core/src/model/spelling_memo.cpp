// SPDX-License-Identifier: Apache-2.0
// SpellingMemo: arena, entries and a linear-probing table of entry indexes.
#include "model/spelling_memo.hpp"

#include <limits>
#include <stdexcept>

namespace mobisync::model {

void SpellingMemo::add(std::string_view spelling, std::int64_t number) {
  if (sealed_) throw std::logic_error("SpellingMemo::add after seal");
  if (spelling.size() > kMaxSpellingBytes) return;
  // The offsets are 32 bits; a memo that large (4 GiB of spellings) is not a memo any more.
  if (arena_.size() + spelling.size() > std::numeric_limits<std::uint32_t>::max()) return;
  entries_.push_back(Entry{static_cast<std::uint32_t>(arena_.size()),
                           static_cast<std::uint32_t>(spelling.size()), number});
  arena_.append(spelling);
}

std::size_t SpellingMemo::slotOf(std::string_view spelling) const {
  return std::hash<std::string_view>{}(spelling) & (slots_.size() - 1);
}

void SpellingMemo::seal() {
  if (sealed_) return;
  sealed_ = true;
  // At most half full, so a miss ends after a probe or two.
  std::size_t capacity = 16;
  while (capacity < 2 * entries_.size()) capacity *= 2;
  slots_.assign(capacity, 0);
  std::vector<Entry> kept;
  kept.reserve(entries_.size());
  for (const Entry& e : entries_) {
    std::string_view s = spellingOf(e);
    std::size_t i = slotOf(s);
    bool repeated = false;
    for (; slots_[i] != 0; i = (i + 1) & (capacity - 1)) {
      if (spellingOf(kept[slots_[i] - 1]) == s) {
        repeated = true;  // the first answer stays: every copy came from one engine
        break;
      }
    }
    if (repeated) continue;
    kept.push_back(e);
    slots_[i] = static_cast<std::uint32_t>(kept.size());
  }
  entries_ = std::move(kept);
  entries_.shrink_to_fit();
  used_ = std::make_unique<std::atomic<bool>[]>(entries_.size());
}

std::optional<std::int64_t> SpellingMemo::find(std::string_view spelling) const {
  if (!sealed_ || entries_.empty() || spelling.size() > kMaxSpellingBytes) return std::nullopt;
  for (std::size_t i = slotOf(spelling); slots_[i] != 0; i = (i + 1) & (slots_.size() - 1)) {
    const std::uint32_t index = slots_[i] - 1;
    if (spellingOf(entries_[index]) == spelling) {
      used_[index].store(true, std::memory_order_relaxed);
      return entries_[index].number;
    }
  }
  return std::nullopt;
}

std::size_t SpellingMemo::usedCount() const {
  if (!used_) return 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) n += used_[i].load(std::memory_order_relaxed);
  return n;
}

void SpellingMemo::forEachUsed(
    const std::function<void(std::string_view, std::int64_t)>& f) const {
  if (!used_) return;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (used_[i].load(std::memory_order_relaxed)) f(spellingOf(entries_[i]), entries_[i].number);
  }
}

}  // namespace mobisync::model
