// SPDX-License-Identifier: Apache-2.0
// NumberSpellings from libphonenumber's example numbers; the memo's differential run.
#include "support/number_spellings.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include <phonenumbers/phonenumberutil.h>

#include "model/msisdn.hpp"
#include "model/number_fast_path.hpp"
#include "sync/number_memo.hpp"

namespace mobisync::test {
namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

struct Example {
  std::string region;
  std::string cc;
  std::string nsn;
};

const std::vector<Example>& examples() {
  static const std::vector<Example> all = [] {
    std::vector<Example> out;
    const Util& u = *Util::GetInstance();
    std::set<std::string> regions;
    u.GetSupportedRegions(&regions);
    for (const std::string& r : regions) {
      for (auto type : {Util::MOBILE, Util::FIXED_LINE, Util::TOLL_FREE, Util::VOIP}) {
        pn::PhoneNumber n;
        if (!u.GetExampleNumberForType(r, type, &n)) continue;
        std::string nsn;
        u.GetNationalSignificantNumber(n, &nsn);
        out.push_back({r, std::to_string(n.country_code()), nsn});
      }
    }
    return out;
  }();
  return all;
}

}  // namespace

NumberSpellings::NumberSpellings(std::uint64_t seed) : rng_(seed) {}

const std::vector<std::string>& NumberSpellings::regions() {
  static const std::vector<std::string> all = [] {
    std::set<std::string> seen;
    for (const Example& e : examples()) seen.insert(e.region);
    return std::vector<std::string>(seen.begin(), seen.end());
  }();
  return all;
}

std::string NumberSpellings::digitsFor(const std::string& region, std::string* cc,
                                       bool* same_region) {
  const auto& all = examples();
  std::vector<const Example*> mine;
  for (const Example& e : all) {
    if (e.region == region) mine.push_back(&e);
  }
  // Mostly the region's own numbers; one in eight another country's.
  const Example& e = (mine.empty() || rng_() % 8 == 0) ? all[rng_() % all.size()]
                                                       : *mine[rng_() % mine.size()];
  *cc = e.cc;
  *same_region = e.region == region;
  std::string d = e.nsn;
  auto digit = [&] { return static_cast<char>('0' + rng_() % 10); };
  switch (rng_() % 10) {
    case 0:  // too short
      d.resize(d.size() - std::min<std::size_t>(d.size() - 1, 1 + rng_() % 4));
      break;
    case 1:  // too long
      for (std::size_t k = 1 + rng_() % 4; k > 0; --k) d += digit();
      break;
    case 2: {  // any digits of a plausible length
      d.clear();
      for (std::size_t k = 3 + rng_() % 13; k > 0; --k) d += digit();
      break;
    }
    case 3:  // its first digits changed or one put before them: where prefixes are told apart
      if (rng_() % 2) {
        d.insert(d.begin(), digit());
      } else {
        for (std::size_t k = 1 + rng_() % std::min<std::size_t>(2, d.size()); k > 0; --k) {
          d[k - 1] = digit();
        }
      }
      break;
    default:  // the example with its last digits changed: mostly valid, sometimes not
      for (std::size_t k = 1 + rng_() % std::min<std::size_t>(6, d.size()); k > 0; --k) {
        d[d.size() - k] = digit();
      }
  }
  return d;
}

std::string NumberSpellings::group(const std::string& digits) {
  static const char* const kSeparators[] = {"", " ", "-", ".", " - ", "\xc2\xa0"};
  const char* sep = kSeparators[rng_() % std::size(kSeparators)];
  std::string out;
  bool parens = rng_() % 6 == 0;
  for (std::size_t at = 0; at < digits.size();) {
    std::size_t len = std::min(digits.size() - at, 2 + rng_() % 3);
    std::string part = digits.substr(at, len);
    if (at == 0 && parens) part = "(" + part + ")";
    if (at > 0) out += sep;
    out += part;
    at += len;
  }
  return out;
}

std::string NumberSpellings::next(const std::string& region) {
  const Util& u = *Util::GetInstance();
  std::string cc;
  bool same_region = false;
  std::string nsn = digitsFor(region, &cc, &same_region);
  std::string trunk;
  u.GetNddPrefixForRegion(region, true, &trunk);
  std::string s;
  switch (rng_() % 12) {
    case 0:
    case 1:  // national, with the trunk prefix when the region has one
      s = group((same_region ? trunk : std::string()) + nsn);
      break;
    case 8:  // the trunk prefix twice, or after the international prefix
      s = group(trunk + trunk + nsn);
      if (rng_() % 2) s = "00" + s;
      break;
    case 9:  // the bare country code with the trunk prefix after it
      s = cc + trunk + nsn;
      break;
    case 10:  // '+' inside parentheses, or after other punctuation
      s = (rng_() % 2 ? "(+" + cc + ") " : "- +" + cc + " ") + group(nsn);
      break;
    case 11:  // the country code of the default region before another country's number
      s = "+" + std::to_string(u.GetCountryCodeForRegion(region)) + nsn;
      break;
    case 2:  // national without it
      s = group(nsn);
      break;
    case 3:
      s = "+" + cc + " " + group(nsn);
      break;
    case 4:
      s = (rng_() % 2 ? "00" : "011") + std::string(rng_() % 2 ? " " : "") + cc + group(nsn);
      break;
    case 5:  // the provider's own form, or the bare country code grouped
      s = rng_() % 2 ? cc + nsn : cc + " " + group(nsn);
      break;
    case 6:
      s = "+" + cc + " (" + (trunk.empty() ? "0" : trunk) + ") " + group(nsn);
      break;
    default:
      s = "+" + cc + nsn;
  }
  switch (rng_() % 40) {
    case 0: s += " ext " + std::to_string(rng_() % 1000); break;
    case 1: s += " x" + std::to_string(rng_() % 100); break;
    case 2: s += "#" + std::to_string(rng_() % 100); break;
    case 3: s += ";ext=" + std::to_string(rng_() % 100); break;
    case 4: s[s.size() - 1 - rng_() % std::min<std::size_t>(s.size(), 4)] = 'O'; break;
    case 5: s += " ABC"; break;
    case 6: s = "tel:" + s; break;
    case 7: s = "  " + s + "\t"; break;
    case 8: s.insert(s.size() / 2, 1, '\x01'); break;
    case 9: s = "1-800-FLOWERS"; break;
    case 10: s.resize(rng_() % 3); break;
    case 11: s.insert(rng_() % (s.size() + 1), 1, '+'); break;  // a stray or second '+'
    case 12: s = "(" + s; break;
    default: break;
  }
  return s;
}

NumberDifferential runNumberDifferential(std::uint64_t seed, std::size_t per_region,
                                         const std::vector<std::string>& regions) {
  NumberDifferential out;
  NumberSpellings gen(seed);
  for (const std::string& region : regions) {
    const model::MsisdnNormalizer normalizer(region, model::NumberEngine::LibraryOnly);
    std::vector<std::string> cells, first;
    sync::NumberMemo memo;
    for (std::size_t i = 0; i < per_region; ++i) {
      cells.push_back(gen.next(region));
      auto r = normalizer.normalize(cells.back());
      first.push_back(r ? "accepted " + *r : "rejected: " + r.error().message());
      if (!r) continue;
      ++out.accepted;
      // What the source reader records after a run that asked the library.
      switch (sync::lessonOf(cells.back(), *r)) {
        case sync::MemoLesson::Canonical: memo.canonical.push_back(*sync::memoDigits(*r)); break;
        case sync::MemoLesson::Spelling:
          memo.spellings.add(cells.back(), *sync::memoDigits(*r));
          break;
        case sync::MemoLesson::None: break;
      }
    }
    std::sort(memo.canonical.begin(), memo.canonical.end());
    memo.spellings.seal();
    for (std::size_t i = 0; i < cells.size(); ++i) {
      auto known = sync::memoAnswer(memo, cells[i]);
      if (!known) continue;  // the library again, as on the first read
      ++out.from_memo;
      if ("accepted " + *known != first[i]) {
        ++out.mismatches;
        if (out.examples.size() < 10) {
          out.examples.push_back(region + " \"" + cells[i] + "\": library " + first[i] +
                                 ", memo " + *known);
        }
      }
    }
    out.spellings += cells.size();
    ++out.regions;
  }
  return out;
}

namespace {

std::string answerOf(const Result<model::NormalizedNumber>& r) {
  if (!r) return "rejected: " + r.error().message();
  return "accepted " + r->msisdn + " type " + std::to_string(static_cast<int>(r->line_type));
}

}  // namespace

FastPathDifferential runFastPathDifferential(std::uint64_t seed, std::size_t per_region,
                                             const std::vector<std::string>& regions) {
  FastPathDifferential out;
  NumberSpellings gen(seed);
  for (const std::string& region : regions) {
    const model::MsisdnNormalizer library(region, model::NumberEngine::LibraryOnly);
    const model::MsisdnNormalizer fast(region);
    const auto path = model::NumberFastPath::forRegion(region);
    if (path) ++out.fast_regions;
    for (std::size_t i = 0; i < per_region; ++i) {
      const std::string cell = gen.next(region);
      const std::string expected = answerOf(library.analyze(cell));
      const std::string got = answerOf(fast.analyze(cell));
      if (expected.rfind("accepted", 0) == 0) ++out.accepted;
      if (path && path->tryAccept(cell)) ++out.fast_answered;
      if (got != expected) {
        ++out.mismatches;
        if (out.examples.size() < 10) {
          out.examples.push_back(region + " \"" + cell + "\": library " + expected +
                                 ", with the fast path " + got);
        }
      }
    }
    out.spellings += per_region;
    ++out.regions;
  }
  return out;
}

}  // namespace mobisync::test
