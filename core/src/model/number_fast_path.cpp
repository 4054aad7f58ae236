// SPDX-License-Identifier: Apache-2.0
// NumberFastPath: the steps of libphonenumber's ParseHelper, MaybeExtractCountryCode,
// MaybeStripNationalPrefixAndCarrierCode, TestNumberLength, GetRegionCodeForNumber and
// GetNumberTypeHelper, for the spellings and metadata the class comment names.
#include "model/number_fast_path.hpp"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <dlfcn.h>

#include <algorithm>
#include <list>
#include <map>
#include <set>
#include <vector>

#include "model/digit_pattern.hpp"

namespace mobisync::model {

namespace {

namespace pn = i18n::phonenumbers;

// What libphonenumber's Parse allows before it reads a number, and its NSN bounds.
constexpr std::size_t kMaxInputLength = 250;
constexpr std::size_t kMinNsn = 2;
constexpr std::size_t kMaxNsn = 17;
// Longest run of digits looked at; longer cells go to the library.
constexpr std::size_t kMaxDigits = 40;
constexpr std::size_t kMaxE164Digits = 15;

/// The metadata compiled into the installed library, parsed once; null when the library does
/// not export it under the name libphonenumber 8 uses (then every number goes to the library).
const pn::PhoneMetadataCollection* compiledMetadata() {
  static const pn::PhoneMetadataCollection* const collection =
      []() -> const pn::PhoneMetadataCollection* {
    using Get = const void* (*)();
    using Size = int (*)();
    auto get =
        reinterpret_cast<Get>(::dlsym(RTLD_DEFAULT, "_ZN4i18n12phonenumbers12metadata_getEv"));
    auto size =
        reinterpret_cast<Size>(::dlsym(RTLD_DEFAULT, "_ZN4i18n12phonenumbers13metadata_sizeEv"));
    if (get == nullptr || size == nullptr) return nullptr;
    auto* c = new pn::PhoneMetadataCollection();
    if (!c->ParseFromArray(get(), size())) {
      delete c;
      return nullptr;
    }
    return c;
  }();
  return collection;
}

bool isPlainDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

/// One PhoneNumberDesc: its possible lengths and its pattern (none: matches nothing).
struct Desc {
  std::vector<int> lengths;
  std::optional<DigitPattern> pattern;

  explicit Desc(const pn::PhoneNumberDesc& d) : lengths(d.possible_length().begin(),
                                                        d.possible_length().end()) {
    if (!d.national_number_pattern().empty()) pattern.emplace(d.national_number_pattern());
  }
  /// libphonenumber's IsMatch: the pattern alone.
  bool patternMatches(std::string_view nsn) const { return pattern && pattern->fullMatch(nsn); }
  /// libphonenumber's IsNumberMatchingDesc: a possible length, then the pattern.
  bool matches(std::string_view nsn) const {
    if (!lengths.empty() &&
        std::find(lengths.begin(), lengths.end(), static_cast<int>(nsn.size())) == lengths.end()) {
      return false;
    }
    return patternMatches(nsn);
  }
};

enum class Length { Possible, LocalOnly, TooShort, TooLong, Invalid };

/// One region's metadata as parsing and validation read it, its patterns compiled.
struct RegionRules {
  int code = 0;              ///< the country calling code
  std::string cc;            ///< the same, as digits
  std::string idd;           ///< the international prefix
  bool idd_plain = false;    ///< ... is plain digits, so a prefix test is the library's
  std::string trunk;         ///< the national prefix for parsing (maybe none)
  bool parses_plainly = false;  ///< ... is plain digits or none, with no transform rule
  std::optional<DigitPattern> leading_digits;
  bool same_mobile_and_fixed = false;
  std::vector<int> general_lengths, local_lengths;
  Desc general, fixed_line, mobile;
  std::vector<Desc> other_types;  ///< premium rate .. voicemail, in the library's order

  /// @throws std::invalid_argument when a pattern is outside DigitPattern's syntax.
  explicit RegionRules(const pn::PhoneMetadata& m)
      : code(m.country_code()),
        cc(std::to_string(m.country_code())),
        idd(m.international_prefix()),
        idd_plain(!m.international_prefix().empty() && isPlainDigits(m.international_prefix())),
        trunk(m.national_prefix_for_parsing()),
        parses_plainly(isPlainDigits(m.national_prefix_for_parsing()) &&
                       m.national_prefix_transform_rule().empty()),
        same_mobile_and_fixed(m.same_mobile_and_fixed_line_pattern()),
        general_lengths(m.general_desc().possible_length().begin(),
                        m.general_desc().possible_length().end()),
        local_lengths(m.general_desc().possible_length_local_only().begin(),
                      m.general_desc().possible_length_local_only().end()),
        general(m.general_desc()),
        fixed_line(m.fixed_line()),
        mobile(m.mobile()) {
    if (m.has_leading_digits()) leading_digits.emplace(m.leading_digits());
    for (const pn::PhoneNumberDesc* d :
         {&m.premium_rate(), &m.toll_free(), &m.shared_cost(), &m.voip(), &m.personal_number(),
          &m.pager(), &m.uan(), &m.voicemail()}) {
      other_types.emplace_back(*d);
    }
  }

  /// TestNumberLength(number, metadata) with the general description.
  Length lengthOf(std::string_view number) const {
    const int n = static_cast<int>(number.size());
    if (general_lengths.empty() || general_lengths.front() == -1) return Length::Invalid;
    if (std::find(local_lengths.begin(), local_lengths.end(), n) != local_lengths.end()) {
      return Length::LocalOnly;
    }
    if (general_lengths.front() == n) return Length::Possible;
    if (general_lengths.front() > n) return Length::TooShort;
    if (general_lengths.back() < n) return Length::TooLong;
    return std::find(general_lengths.begin() + 1, general_lengths.end(), n) !=
                   general_lengths.end()
               ? Length::Possible
               : Length::Invalid;
  }

  /// MaybeStripNationalPrefixAndCarrierCode with a plain-digit prefix and no transform: the
  /// prefix goes unless the number was viable with it and is not without it.
  void stripTrunkPrefix(std::string_view& number) const {
    if (number.empty() || trunk.empty() || !startsWith(number, trunk)) return;
    const std::string_view without = number.substr(trunk.size());
    if (general.patternMatches(number) && !general.patternMatches(without)) return;
    number = without;
  }

  /// GetNumberTypeHelper, as the normaliser's line type; nullopt for the library's UNKNOWN.
  std::optional<LineType> typeOf(std::string_view nsn) const {
    if (!general.matches(nsn)) return std::nullopt;
    for (const Desc& d : other_types) {
      if (d.matches(nsn)) return LineType::Other;
    }
    if (fixed_line.matches(nsn)) {
      if (same_mobile_and_fixed || mobile.matches(nsn)) return LineType::FixedLineOrMobile;
      return LineType::FixedLine;
    }
    if (!same_mobile_and_fixed && mobile.matches(nsn)) return LineType::Mobile;
    return std::nullopt;
  }
};

/// A country calling code: the region whose metadata the library parses its numbers with (the
/// code's main region) and the regions it tries, in its order, to find the number's region.
struct CodeRules {
  const RegionRules* main = nullptr;        ///< null: no fast path for the code
  std::vector<const RegionRules*> regions;  ///< null where a region's metadata did not compile
};

/// Every region's rules and every code's, built once per process from the metadata.
struct Catalogue {
  std::map<std::string, std::unique_ptr<const RegionRules>> regions;
  std::map<int, CodeRules> codes;  ///< geographic codes only; non-geographic ones have none
  std::set<int> known_codes;       ///< every code the metadata knows, non-geographic included

  const CodeRules* code(int c) const {
    auto it = codes.find(c);
    return it == codes.end() ? nullptr : &it->second;
  }

  /// ExtractCountryCode: the shortest prefix of 1 to 3 digits that is a known code.
  int countryCodeOf(std::string_view digits, std::size_t* length) const {
    if (digits.empty() || digits.front() == '0') return 0;
    int candidate = 0;
    for (std::size_t i = 1; i <= 3 && i <= digits.size(); ++i) {
      candidate = candidate * 10 + (digits[i - 1] - '0');
      if (known_codes.count(candidate) != 0) {
        *length = i;
        return candidate;
      }
    }
    return 0;
  }
};

const Catalogue* catalogue() {
  static const Catalogue* const built = []() -> const Catalogue* {
    const pn::PhoneMetadataCollection* all = compiledMetadata();
    if (all == nullptr) return nullptr;
    auto* c = new Catalogue();
    for (const pn::PhoneMetadata& m : all->metadata()) {
      c->known_codes.insert(m.country_code());
      if (m.id() == pn::PhoneNumberUtil::kRegionCodeForNonGeoEntity) continue;
      try {
        c->regions[m.id()] = std::make_unique<const RegionRules>(m);
      } catch (const std::invalid_argument&) {
        // A pattern outside DigitPattern's syntax: the library answers for this region.
      }
    }
    const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
    for (int code : c->known_codes) {
      std::list<std::string> ids;
      util.GetRegionCodesForCountryCallingCode(code, &ids);
      if (ids.empty() || ids.front() == pn::PhoneNumberUtil::kRegionCodeForNonGeoEntity) continue;
      CodeRules rules;
      for (const std::string& id : ids) {
        auto it = c->regions.find(id);
        rules.regions.push_back(it == c->regions.end() ? nullptr : it->second.get());
      }
      rules.main = rules.regions.front();
      c->codes.emplace(code, std::move(rules));
    }
    return c;
  }();
  return built;
}

}  // namespace

struct NumberFastPath::Plan {
  const Catalogue* all = nullptr;
  const RegionRules* home = nullptr;  ///< the default region's rules
};

NumberFastPath::NumberFastPath(std::unique_ptr<const Plan> plan) : plan_(std::move(plan)) {}
NumberFastPath::~NumberFastPath() = default;

std::unique_ptr<const NumberFastPath> NumberFastPath::forRegion(const std::string& region) {
  const Catalogue* all = catalogue();
  if (all == nullptr) return nullptr;
  auto it = all->regions.find(region);
  if (it == all->regions.end()) return nullptr;
  auto plan = std::make_unique<Plan>();
  plan->all = all;
  plan->home = it->second.get();
  return std::make_unique<const NumberFastPath>(std::move(plan));
}

std::optional<NormalizedNumber> NumberFastPath::tryAccept(std::string_view raw) const {
  const Catalogue& all = *plan_->all;
  const RegionRules& home = *plan_->home;
  if (raw.size() > kMaxInputLength) return std::nullopt;
  // The spelling: punctuation libphonenumber skips, digits, and at most one '+' before them.
  char buffer[kMaxDigits];
  std::size_t n = 0;
  bool plus = false;
  for (char c : raw) {
    if (c >= '0' && c <= '9') {
      if (n == kMaxDigits) return std::nullopt;
      buffer[n++] = c;
    } else if (c == '+') {
      if (plus || n != 0) return std::nullopt;
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  // Fewer than three digits is not a viable number (or only just): the library says why.
  if (n < 3) return std::nullopt;
  std::string_view digits(buffer, n);

  // MaybeStripInternationalPrefixAndNormalize: '+', or the region's prefix unless a 0 follows.
  bool international = plus;
  if (!plus) {
    if (!home.idd_plain) return std::nullopt;  // whether one is there needs its pattern
    if (startsWith(digits, home.idd)) {
      const std::string_view rest = digits.substr(home.idd.size());
      if (rest.empty() || rest.front() != '0') {
        international = true;
        digits = rest;
      }
    }
  }
  // MaybeExtractCountryCode, then the metadata ParseHelper strips the trunk prefix with: the
  // default region's when no code was found, else the code's main region's.
  int code = home.code;
  const RegionRules* parse = &home;
  std::string_view national;
  if (international) {
    if (digits.size() <= kMinNsn) return std::nullopt;
    std::size_t code_length = 0;
    code = all.countryCodeOf(digits, &code_length);
    const CodeRules* rules = all.code(code);
    if (rules == nullptr || rules->main == nullptr) return std::nullopt;
    parse = rules->main;
    national = digits.substr(code_length);
  } else {
    if (!home.parses_plainly) return std::nullopt;
    national = digits;
    // The region's own code written without '+': taken as the code only when that makes a
    // viable number of one that was not, or the whole is too long.
    if (startsWith(digits, home.cc)) {
      std::string_view potential = digits.substr(home.cc.size());
      home.stripTrunkPrefix(potential);
      if ((!home.general.patternMatches(digits) && home.general.patternMatches(potential)) ||
          home.lengthOf(digits) == Length::TooLong) {
        national = potential;
        const CodeRules* rules = all.code(code);
        if (rules == nullptr || rules->main == nullptr) return std::nullopt;
        parse = rules->main;
      }
    }
  }
  if (!parse->parses_plainly) return std::nullopt;
  if (national.size() < kMinNsn) return std::nullopt;
  std::string_view stripped = national;
  parse->stripTrunkPrefix(stripped);
  const Length length = parse->lengthOf(stripped);
  if (length != Length::TooShort && length != Length::LocalOnly && length != Length::Invalid) {
    national = stripped;
  }
  if (national.size() < kMinNsn || national.size() > kMaxNsn) return std::nullopt;

  // GetRegionCodeForNumber: the code's only region, or the first in the library's order whose
  // leading digits start the number or, without leading digits, whose types know it. Then
  // IsValidNumberForRegion and GetNumberType with that region.
  const CodeRules* found = all.code(code);
  if (found == nullptr || found->regions.empty() || found->regions.front() == nullptr) {
    return std::nullopt;
  }
  const CodeRules& rules = *found;
  std::optional<LineType> type;
  if (rules.regions.size() == 1) {
    type = rules.regions.front()->typeOf(national);
  } else {
    for (const RegionRules* region : rules.regions) {
      if (region == nullptr) return std::nullopt;  // what the library does here is unknown
      if (region->leading_digits) {
        if (!region->leading_digits->prefixMatch(national)) continue;
        type = region->typeOf(national);
        break;
      }
      type = region->typeOf(national);
      if (type) break;
    }
  }
  if (!type) return std::nullopt;
  // Every region of the list has the code, as digits.
  const std::string& cc = rules.regions.front()->cc;
  if (cc.size() + national.size() > kMaxE164Digits) return std::nullopt;

  NormalizedNumber out;
  out.msisdn.reserve(cc.size() + national.size());
  out.msisdn.append(cc).append(national);
  out.line_type = *type;
  return out;
}

}  // namespace mobisync::model
