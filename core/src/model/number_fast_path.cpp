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
    auto get = reinterpret_cast<Get>(::dlsym(RTLD_DEFAULT, "_ZN4i18n12phonenumbers12metadata_getEv"));
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
enum class Type { Unknown, FixedLine, Mobile, FixedLineOrMobile, Other };

}  // namespace

struct NumberFastPath::Plan {
  int code = 0;              ///< the region's country calling code
  std::string cc;            ///< the same, as digits
  std::string idd;           ///< its international prefix (plain digits)
  std::string trunk;         ///< its national prefix for parsing (plain digits, maybe none)
  std::set<int> known_codes; ///< every country calling code the metadata knows
  bool shared_code = false;  ///< other regions use the same country code
  std::optional<DigitPattern> leading_digits;
  bool same_mobile_and_fixed = false;
  std::vector<int> general_lengths, local_lengths;
  Desc general, fixed_line, mobile;
  std::vector<Desc> other_types;  ///< premium rate .. voicemail, in the library's order

  explicit Plan(const pn::PhoneMetadata& m)
      : general(m.general_desc()), fixed_line(m.fixed_line()), mobile(m.mobile()) {
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

  /// GetNumberTypeHelper.
  Type typeOf(std::string_view nsn) const {
    if (!general.matches(nsn)) return Type::Unknown;
    for (const Desc& d : other_types) {
      if (d.matches(nsn)) return Type::Other;
    }
    if (fixed_line.matches(nsn)) {
      if (same_mobile_and_fixed || mobile.matches(nsn)) return Type::FixedLineOrMobile;
      return Type::FixedLine;
    }
    if (!same_mobile_and_fixed && mobile.matches(nsn)) return Type::Mobile;
    return Type::Unknown;
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

NumberFastPath::NumberFastPath(std::unique_ptr<const Plan> plan) : plan_(std::move(plan)) {}
NumberFastPath::~NumberFastPath() = default;

std::unique_ptr<const NumberFastPath> NumberFastPath::forRegion(const std::string& region) {
  const pn::PhoneMetadataCollection* all = compiledMetadata();
  if (all == nullptr) return nullptr;
  const pn::PhoneMetadata* found = nullptr;
  std::set<int> codes;
  for (const pn::PhoneMetadata& m : all->metadata()) {
    codes.insert(m.country_code());
    if (m.id() == region) found = &m;
  }
  if (found == nullptr) return nullptr;
  const pn::PhoneMetadata& m = *found;
  // Prefixes that are patterns would need the library's regex semantics for what they consume.
  if (m.international_prefix().empty() || !isPlainDigits(m.international_prefix()) ||
      !isPlainDigits(m.national_prefix_for_parsing()) ||
      !m.national_prefix_transform_rule().empty()) {
    return nullptr;
  }
  // The region must be its code's main region: the library parses with the main region's
  // metadata and tries the code's regions in order, main first.
  std::list<std::string> regions;
  pn::PhoneNumberUtil::GetInstance()->GetRegionCodesForCountryCallingCode(m.country_code(),
                                                                           &regions);
  if (regions.empty() || regions.front() != region) return nullptr;
  try {
    auto plan = std::make_unique<Plan>(m);
    plan->code = m.country_code();
    plan->cc = std::to_string(m.country_code());
    plan->idd = m.international_prefix();
    plan->trunk = m.national_prefix_for_parsing();
    plan->known_codes = std::move(codes);
    plan->shared_code = regions.size() > 1;
    if (m.has_leading_digits()) plan->leading_digits.emplace(m.leading_digits());
    plan->same_mobile_and_fixed = m.same_mobile_and_fixed_line_pattern();
    plan->general_lengths.assign(m.general_desc().possible_length().begin(),
                                 m.general_desc().possible_length().end());
    plan->local_lengths.assign(m.general_desc().possible_length_local_only().begin(),
                               m.general_desc().possible_length_local_only().end());
    return std::make_unique<const NumberFastPath>(std::move(plan));
  } catch (const std::invalid_argument&) {
    return nullptr;  // a pattern outside DigitPattern's syntax
  }
}

std::optional<NormalizedNumber> NumberFastPath::tryAccept(std::string_view raw) const {
  const Plan& p = *plan_;
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
  if (!plus && startsWith(digits, p.idd)) {
    const std::string_view rest = digits.substr(p.idd.size());
    if (rest.empty() || rest.front() != '0') {
      international = true;
      digits = rest;
    }
  }
  std::string_view national;
  if (international) {
    if (digits.size() <= kMinNsn) return std::nullopt;
    std::size_t code_length = 0;
    if (p.countryCodeOf(digits, &code_length) != p.code) return std::nullopt;
    national = digits.substr(code_length);
  } else {
    national = digits;
    // The region's own code written without '+': kept as the code only when that makes a
    // viable number of one that was not, or the whole is too long.
    if (startsWith(digits, p.cc)) {
      std::string_view potential = digits.substr(p.cc.size());
      p.stripTrunkPrefix(potential);
      if ((!p.general.patternMatches(digits) && p.general.patternMatches(potential)) ||
          p.lengthOf(digits) == Length::TooLong) {
        national = potential;
      }
    }
  }
  if (national.size() < kMinNsn) return std::nullopt;
  std::string_view stripped = national;
  p.stripTrunkPrefix(stripped);
  const Length length = p.lengthOf(stripped);
  if (length != Length::TooShort && length != Length::LocalOnly && length != Length::Invalid) {
    national = stripped;
  }
  if (national.size() < kMinNsn || national.size() > kMaxNsn) return std::nullopt;

  // GetRegionCodeForNumber, then IsValidNumberForRegion: answered only when the number is the
  // region's own; another region of a shared code would need its metadata.
  const Type type = p.typeOf(national);
  if (p.shared_code && p.leading_digits && !p.leading_digits->prefixMatch(national)) {
    return std::nullopt;
  }
  if (type == Type::Unknown) return std::nullopt;
  if (p.cc.size() + national.size() > kMaxE164Digits) return std::nullopt;

  NormalizedNumber out;
  out.msisdn.reserve(p.cc.size() + national.size());
  out.msisdn.append(p.cc).append(national);
  switch (type) {
    case Type::Mobile:
      out.line_type = LineType::Mobile;
      break;
    case Type::FixedLine:
      out.line_type = LineType::FixedLine;
      break;
    case Type::FixedLineOrMobile:
      out.line_type = LineType::FixedLineOrMobile;
      break;
    default:
      out.line_type = LineType::Other;
      break;
  }
  return out;
}

}  // namespace mobisync::model
