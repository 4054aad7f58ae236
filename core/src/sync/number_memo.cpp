// SPDX-License-Identifier: Apache-2.0
// loadNumberMemo: the canonical numbers and the job's spellings from the state.
#include "sync/number_memo.hpp"

#include <algorithm>
#include <exception>

#include <Poco/Logger.h>

#include "mobisync/sms/utf8.hpp"
#include "model/msisdn.hpp"
#include "state/spelling_memo_store.hpp"

namespace mobisync::sync {

NumberMemo loadNumberMemo(state::StateStore& store, const std::string& job,
                          const std::string& region) {
  NumberMemo memo;
  const std::string& engine = model::MsisdnNormalizer::engineTag();
  try {
    memo.canonical = store.canonicalNumbers(region, engine);
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.sync")
        .warning("job %s: number memo unavailable, normalising every number: %s", job,
                 std::string(e.what()));
  }
  try {
    state::SpellingMemoStore(store).forEach(job, region, engine,
                                            [&](std::string_view spelling, std::int64_t number) {
                                              memo.spellings.add(spelling, number);
                                            });
  } catch (const std::exception& e) {
    memo.spellings = model::SpellingMemo();  // never half a memo: start it afresh
    Poco::Logger::get("mobisync.sync")
        .warning("job %s: memo of number spellings unavailable, normalising them: %s", job,
                 std::string(e.what()));
  }
  memo.spellings.seal();
  return memo;
}

std::optional<std::int64_t> memoDigits(std::string_view cell) {
  if (cell.size() < 8 || cell.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : cell) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<std::string> memoAnswer(const NumberMemo& memo, std::string_view raw) {
  // Both memos hold only answers this very engine gave for exactly these bytes, so answering
  // from them is the same answer, without the regex work.
  // The canonical memo holds integers: a cell with a leading zero ("0447930123456") has the
  // digits of one but is another spelling, which the library may read otherwise or refuse.
  if (auto digits = memoDigits(raw); digits && raw.front() != '0') {
    if (std::binary_search(memo.canonical.begin(), memo.canonical.end(), *digits)) {
      return std::string(raw);
    }
  }
  if (auto known = memo.spellings.find(raw)) return std::to_string(*known);
  return std::nullopt;
}

bool storableSpelling(std::string_view raw) {
  if (raw.empty() || raw.size() > model::SpellingMemo::kMaxSpellingBytes) return false;
  // A control byte or a NUL may not survive a database's text column byte for byte (a spelling
  // stored cut short would answer for another cell), and PostgreSQL refuses invalid UTF-8.
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;
  }
  return sms::decodeUtf8(raw).has_value();
}

MemoLesson lessonOf(std::string_view raw, std::string_view msisdn) {
  // Both memos store the answer as an integer: only 8 to 15 digits without a leading zero (what
  // E.164 digits are) come back from it as the very string the engine gave.
  if (!memoDigits(msisdn) || msisdn.front() == '0') return MemoLesson::None;
  if (raw == msisdn) return MemoLesson::Canonical;
  if (storableSpelling(raw)) return MemoLesson::Spelling;
  return MemoLesson::None;
}

}  // namespace mobisync::sync
