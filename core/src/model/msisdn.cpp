// SPDX-License-Identifier: Apache-2.0
// MsisdnNormalizer on libphonenumber: parse, validate, format E.164 without '+'.
#include "model/msisdn.hpp"

#include "model/number_fast_path.hpp"

#include "mobisync/build_info.hpp"
#include "mobisync/text.hpp"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include <dlfcn.h>
#include <sys/stat.h>

#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <stdexcept>

namespace mobisync::model {
namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

const Util& util() {
  // Some libphonenumber builds log through a stdout logger, and a log line could carry a
  // number. SetLogger takes ownership and is not synchronised, hence once, here, before any use.
  static const Util* const instance = [] {
    Util* u = Util::GetInstance();
    u->SetLogger(new pn::NullLogger());
    return u;
  }();
  return *instance;
}

// Held shared by every call into libphonenumber, exclusively around forking normaliser workers.
std::shared_mutex& forkGuard() {
  static std::shared_mutex m;
  return m;
}
bool g_forked_worker = false;  // set once in a forked worker, which has one thread

/// The shared hold of one normaliser call (none in a forked worker).
std::optional<std::shared_lock<std::shared_mutex>> libraryHold() {
  if (g_forked_worker) return std::nullopt;
  return std::shared_lock<std::shared_mutex>(forkGuard());
}

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// libphonenumber reads letters as keypad digits (vanity numbers). A letter in a contact's
// number is far likelier a typo (O for 0) that would map to a different, valid number, so
// letters are refused; only the RFC 3966 "tel:" scheme may contain them.
bool hasLetters(std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size() && text::isAsciiSpace(raw[i])) ++i;
  if (raw.size() - i >= 4) {
    std::string_view scheme = raw.substr(i, 4);
    if ((scheme[0] | 0x20) == 't' && (scheme[1] | 0x20) == 'e' && (scheme[2] | 0x20) == 'l' &&
        scheme[3] == ':') {
      i += 4;
    }
  }
  for (; i < raw.size(); ++i) {
    if (isAsciiLetter(raw[i])) return true;
  }
  return false;
}

bool isBlank(std::string_view raw) {
  for (char c : raw) {
    if (!text::isAsciiSpace(c)) return false;
  }
  return true;
}

Status parseError(Util::ErrorType e) {
  switch (e) {
    case Util::INVALID_COUNTRY_CODE_ERROR:
      return Status::rejected("unknown country calling code");
    case Util::TOO_SHORT_AFTER_IDD:
    case Util::TOO_SHORT_NSN:
      return Status::rejected("too short");
    case Util::TOO_LONG_NSN:
      return Status::rejected("too long");
    case Util::NOT_A_NUMBER:
    case Util::NO_PARSING_ERROR:
      break;
  }
  return Status::rejected("not a number");
}

// A number libphonenumber finds long enough only to dial locally lacks its area code only if the
// writer gave none: a trunk prefix ("079300" in GB) or a country code ("+44 79300") says they
// meant to write one, and the hint would guess wrongly. Rejects are few, so the second parse,
// which keeps how the number was written, costs nothing that matters.
bool mayLackAreaCode(std::string_view raw, const std::string& region) {
  pn::PhoneNumber kept;
  if (util().ParseAndKeepRawInput(std::string(raw), region, &kept) != Util::NO_PARSING_ERROR) {
    return false;
  }
  if (kept.country_code_source() != pn::PhoneNumber::FROM_DEFAULT_COUNTRY) return false;
  std::string digits(raw);
  util().NormalizeDigitsOnly(&digits);
  // Written with the trunk prefix: the library keeps a too-short number whole (a leading zero
  // and all), so its national number would not show the prefix as stripped.
  std::string trunk;
  util().GetNddPrefixForRegion(region, true, &trunk);
  if (!trunk.empty() && digits.size() > trunk.size() &&
      digits.compare(0, trunk.size(), trunk) == 0) {
    return false;
  }
  std::string nsn;
  util().GetNationalSignificantNumber(kept, &nsn);
  // More digits written than the national number holds: a trunk prefix was stripped.
  return digits.size() <= nsn.size();
}

Status parseValid(std::string_view raw, const std::string& region, int region_country_code,
                  pn::PhoneNumber* number) {
  if (isBlank(raw)) return Status::rejected("empty");
  // libphonenumber skips what it cannot read, so "44 7930\0 12" could parse as another number;
  // a control byte in a number cell means the cell is damaged, not formatted.
  for (char c : text::trimSpace(raw)) {
    if (text::isControlByte(static_cast<unsigned char>(c))) {
      return Status::rejected("contains a control character (the cell is damaged)");
    }
  }
  const Util& u = util();
  Util::ErrorType e = u.Parse(std::string(raw), region, number);
  if (e != Util::NO_PARSING_ERROR) return parseError(e);
  // E.164 has no extensions: dropping one would merge everyone behind one switchboard.
  if (number->has_extension()) {
    return Status::rejected("has an extension; SMS and calls need a direct number");
  }
  if (hasLetters(raw)) return Status::rejected("contains letters");
  if (u.IsValidNumber(*number)) {
    // E.164 caps a number at 15 digits, yet the metadata accepts a few longer national numbers
    // (found by fuzzing: German ones with 14 national digits), which no MSISDN can hold.
    std::string e164;
    u.Format(*number, Util::E164, &e164);
    if (e164.size() > 1 + 15) return Status::rejected("too long");
    return Status::ok();
  }
  switch (u.IsPossibleNumberWithReason(*number)) {
    case Util::TOO_SHORT:
      return Status::rejected("too short");
    case Util::IS_POSSIBLE_LOCAL_ONLY:
      return Status::rejected(mayLackAreaCode(raw, region) ? "too short (is the area code missing?)"
                                                           : "too short");
    case Util::TOO_LONG:
      return Status::rejected("too long");
    case Util::INVALID_COUNTRY_CODE:
      return Status::rejected("unknown country calling code");
    case Util::IS_POSSIBLE:
    case Util::INVALID_LENGTH:
      break;
  }
  // Naming the default region only helps when the number was meant for it.
  if (number->country_code() == region_country_code) {
    return Status::rejected("not a valid number for region " + region);
  }
  return Status::rejected("not a valid number for country code +" +
                          std::to_string(number->country_code()));
}

std::string e164Digits(const pn::PhoneNumber& number) {
  std::string out;
  util().Format(number, Util::E164, &out);
  out.erase(0, 1);  // the provider's form has no '+'
  return out;
}

}  // namespace

void MsisdnNormalizer::whileQuiescent(const std::function<void()>& fork_children) {
  util();  // the singleton exists before any child copies the process
  std::unique_lock<std::shared_mutex> hold(forkGuard());
  fork_children();
}

void MsisdnNormalizer::becomeForkedWorker() { g_forked_worker = true; }

MsisdnNormalizer::MsisdnNormalizer(std::string_view default_region, NumberEngine engine) {
  auto hold = libraryHold();
  region_.reserve(default_region.size());
  for (char c : default_region) {
    region_ += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  std::set<std::string> supported;
  util().GetSupportedRegions(&supported);
  if (supported.count(region_) == 0) {
    throw std::invalid_argument("unknown region \"" + std::string(default_region) +
                                "\": expected an ISO 3166 alpha-2 code such as GB or US");
  }
  country_code_ = util().GetCountryCodeForRegion(region_);
  if (engine == NumberEngine::FastPathFirst) fast_ = NumberFastPath::forRegion(region_);
}

const std::string& MsisdnNormalizer::engineTag() {
  static const std::string tag = [] {
    std::string t = std::string("mobisync ") + kSdkVersion + "; libphonenumber ";
    Dl_info info{};
    struct stat st {};
    // The library's metadata decides validity; its file changes with every package update.
    if (::dladdr(reinterpret_cast<void*>(&Util::GetInstance), &info) != 0 &&
        info.dli_fname != nullptr && ::stat(info.dli_fname, &st) == 0) {
      t += std::to_string(st.st_size) + "@" + std::to_string(st.st_mtime);
    } else {
      t += "unknown";
    }
    return t;
  }();
  return tag;
}

std::optional<std::string> MsisdnNormalizer::fastNormalize(std::string_view raw) const {
  if (!fast_) return std::nullopt;
  auto accepted = fast_->tryAccept(raw);
  if (!accepted) return std::nullopt;
  return std::move(accepted->msisdn);
}

Result<std::string> MsisdnNormalizer::normalize(std::string_view raw) const {
  if (auto quick = fastNormalize(raw)) return std::move(*quick);
  auto hold = libraryHold();
  pn::PhoneNumber number;
  Status s = parseValid(raw, region_, country_code_, &number);
  if (!s) return s;
  return e164Digits(number);
}

Result<NormalizedNumber> MsisdnNormalizer::analyze(std::string_view raw) const {
  if (fast_) {
    if (auto accepted = fast_->tryAccept(raw)) return std::move(*accepted);
  }
  auto hold = libraryHold();
  pn::PhoneNumber number;
  Status s = parseValid(raw, region_, country_code_, &number);
  if (!s) return s;
  NormalizedNumber out;
  out.msisdn = e164Digits(number);
  switch (util().GetNumberType(number)) {
    case Util::MOBILE:
      out.line_type = LineType::Mobile;
      break;
    case Util::FIXED_LINE:
      out.line_type = LineType::FixedLine;
      break;
    case Util::FIXED_LINE_OR_MOBILE:
      out.line_type = LineType::FixedLineOrMobile;
      break;
    default:
      out.line_type = LineType::Other;
      break;
  }
  return out;
}

}  // namespace mobisync::model
