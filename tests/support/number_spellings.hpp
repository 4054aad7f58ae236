// SPDX-License-Identifier: Apache-2.0
// Phone numbers as exports spell them, generated from libphonenumber's own example numbers, and
// the differential check of the number memo against libphonenumber over them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mobisync::test {

/// Spellings for a default region: valid numbers and near misses (a digit changed, too short,
/// too long, another country's), national with the trunk prefix, international with '+', the
/// international dialling prefix or the bare country code, "(0)" after it, grouped with spaces,
/// dashes, dots or parentheses, and sometimes an extension, letters, a "tel:" scheme,
/// non-breaking spaces, a control byte or surrounding blanks. Deterministic for a seed.
class NumberSpellings {
 public:
  explicit NumberSpellings(std::uint64_t seed);
  /// Every region libphonenumber has example numbers for (about 240).
  static const std::vector<std::string>& regions();
  /// One spelling meant to be read with default region `region`.
  std::string next(const std::string& region);

 private:
  std::string digitsFor(const std::string& region, std::string* cc, bool* same_region);
  std::string group(const std::string& digits);
  std::mt19937_64 rng_;
};

/// What one differential run found.
struct NumberDifferential {
  std::size_t spellings = 0;
  std::size_t regions = 0;
  std::size_t accepted = 0;    ///< libphonenumber (through MsisdnNormalizer) accepted
  std::size_t from_memo = 0;   ///< answered by the memo on the second read
  std::size_t mismatches = 0;  ///< the memo's answer differed from the library's
  std::vector<std::string> examples;  ///< the first few mismatches, for the failure message
};

/// What one differential run of the number fast path found.
struct FastPathDifferential {
  std::size_t spellings = 0;
  std::size_t regions = 0;
  std::size_t fast_regions = 0;   ///< regions the fast path serves
  std::size_t accepted = 0;       ///< libphonenumber accepted
  std::size_t fast_answered = 0;  ///< answered by the fast path, without the library
  std::size_t mismatches = 0;     ///< the normaliser's answer (or reason) differed
  std::vector<std::string> examples;
};

/// For each region, `per_region` spellings through the normaliser twice, with the fast path
/// first and with libphonenumber alone: the number, the line type or the reason for a refusal
/// must be the same for every one.
FastPathDifferential runFastPathDifferential(std::uint64_t seed, std::size_t per_region,
                                             const std::vector<std::string>& regions);

/// For each region: reads `per_region` spellings cold (the library answers every one, as on a
/// first run), teaches the memos what the source reader would record, then reads them again the
/// way a later run does (memo first, the library for the rest) and compares every answer.
NumberDifferential runNumberDifferential(std::uint64_t seed, std::size_t per_region,
                                         const std::vector<std::string>& regions);

}  // namespace mobisync::test
