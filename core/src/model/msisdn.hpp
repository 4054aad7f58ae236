// SPDX-License-Identifier: Apache-2.0
// MsisdnNormalizer: any human spelling of a phone number to the provider's E.164 digits.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mobisync/result.hpp"

namespace mobisync::model {

/// What kind of line a valid number is, as far as the numbering plan tells.
enum class LineType {
  Mobile,
  FixedLine,
  /// The plan does not distinguish (NANP regions such as US and CA number both alike).
  FixedLineOrMobile,
  /// Toll free, premium rate, VoIP, personal, pager, UAN, voicemail, shared cost.
  Other,
};

/// A valid number in the provider's form, with its line type. Value type.
struct NormalizedNumber {
  std::string msisdn;  ///< E.164 digits without '+', e.g. "447930000000".
  LineType line_type = LineType::Other;

  /// True when the number may reach a mobile phone: Mobile, or FixedLineOrMobile, since
  /// rejecting every US number as "not mobile" would be wrong more often than right.
  bool isMobile() const {
    return line_type == LineType::Mobile || line_type == LineType::FixedLineOrMobile;
  }
};

class NumberFastPath;

/// Which code decides: libphonenumber for every number, or the fast path first (the same
/// answers, see NumberFastPath) and the library for what it does not answer.
enum class NumberEngine { FastPathFirst, LibraryOnly };

/// Normalises phone numbers with libphonenumber against a default region, which applies to
/// numbers written without an international prefix; numbers in plain spellings are answered
/// by NumberFastPath first, with the library's answers. Valid numbers of any line type are
/// accepted; invalid ones yield Status::rejected with a reason for a CRM admin that does not
/// repeat the number (the caller decides where personal data may go). Immutable after
/// construction, so one instance may be shared by threads.
class MsisdnNormalizer {
 public:
  /// @param default_region ISO 3166 alpha-2 code ("GB"; case is ignored).
  /// @throws std::invalid_argument when libphonenumber does not know the region.
  explicit MsisdnNormalizer(std::string_view default_region,
                            NumberEngine engine = NumberEngine::FastPathFirst);

  /// The default region, upper case.
  const std::string& region() const { return region_; }
  /// The default region's country calling code (44 for GB).
  int countryCode() const { return country_code_; }

  /// E.164 digits without '+' ("07930 000000" with GB → "447930000000").
  Result<std::string> normalize(std::string_view raw) const;
  /// normalize()'s answer when the fast path gives it, without libphonenumber and without a
  /// lock; nullopt when only normalize() can tell (a refusal, another country, an odd spelling).
  std::optional<std::string> fastNormalize(std::string_view raw) const;
  /// Names this normaliser's exact behaviour: the mobisync version and the libphonenumber
  /// library file (size and time), so a memo of its answers is dropped on any upgrade.
  static const std::string& engineTag();

  /// As normalize(), plus the line type; costs one more metadata match per number.
  Result<NormalizedNumber> analyze(std::string_view raw) const;

  /// Runs `fork_children` while no thread of this process is inside libphonenumber (every
  /// normaliser call waits meanwhile), so a child forked there never inherits one of the
  /// library's locks held by a thread it does not have. In the child, call
  /// becomeForkedWorker() first: the children's normalisers then run unguarded (they have one
  /// thread, and the guard's state was copied mid-hold).
  static void whileQuiescent(const std::function<void()>& fork_children);
  static void becomeForkedWorker();

 private:
  std::string region_;
  int country_code_ = 0;
  /// Null for LibraryOnly and for regions the fast path does not reproduce.
  std::shared_ptr<const NumberFastPath> fast_;
};

}  // namespace mobisync::model
