// SPDX-License-Identifier: Apache-2.0
// NumberFastPath: libphonenumber's answer for a region's own numbers in common spellings,
// computed from the library's metadata without its regular expressions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/msisdn.hpp"

namespace mobisync::model {

/// Reproduces, for one default region, what libphonenumber's Parse, IsValidNumber and
/// GetNumberType conclude about a number of that region's own country code spelt with digits,
/// spaces, dashes, dots, parentheses and a leading '+', the region's international prefix, its
/// country code or its trunk prefix, and answers only when the library would accept it. The
/// steps are the library's own (which prefix it strips, when it keeps a prefix because the
/// number would stop being viable, which region of a shared country code it picks), read from
/// the metadata compiled into the installed library, so an update of the library updates this
/// too. Everything else (other countries, letters, extensions, odd punctuation, every number
/// the library would reject, a region whose prefixes are not plain digits) gets no answer and
/// goes to the library, which gives the reasons. A differential test holds the two equal over
/// millions of generated spellings. Immutable after construction; shared freely by threads.
class NumberFastPath {
 public:
  /// Null when `region`'s metadata uses something this class does not reproduce exactly (a
  /// prefix that is a pattern, a national prefix transform, a pattern outside DigitPattern's
  /// syntax, a country code whose main region is another).
  static std::unique_ptr<const NumberFastPath> forRegion(const std::string& region);

  /// The library's answer when it accepts `raw`; nullopt when the library must decide.
  std::optional<NormalizedNumber> tryAccept(std::string_view raw) const;

  struct Plan;
  explicit NumberFastPath(std::unique_ptr<const Plan> plan);
  ~NumberFastPath();
  NumberFastPath(const NumberFastPath&) = delete;
  NumberFastPath& operator=(const NumberFastPath&) = delete;

 private:
  std::unique_ptr<const Plan> plan_;
};

}  // namespace mobisync::model
