// SPDX-License-Identifier: Apache-2.0
// NumberFastPath: libphonenumber's answer for numbers in plain spellings, computed from the
// library's metadata without its regular expressions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/msisdn.hpp"

namespace mobisync::model {

/// Reproduces what libphonenumber's Parse, IsValidNumber and GetNumberType conclude about a
/// number spelt with digits, spaces, dashes, dots, parentheses and a leading '+', and answers
/// only when the library would accept it. The steps are the library's own (which of '+', the
/// default region's international prefix, its country code or its trunk prefix is stripped;
/// when a prefix is kept because the number would stop being viable; which metadata parses a
/// number of another country; which region of a shared country code a number belongs to, by
/// leading digits or by type), read from the metadata compiled into the installed library, so
/// an update of the library updates this too. Everything else (letters, extensions, odd
/// punctuation, every number the library would reject, and any step whose metadata holds a
/// prefix that is a pattern or a transform rule) gets no answer and goes to the library, which
/// gives the reasons. A differential test holds the two equal over millions of generated
/// spellings. Immutable after construction; shared freely by threads.
class NumberFastPath {
 public:
  /// Null when the library's metadata cannot be read or `region`'s patterns are outside
  /// DigitPattern's syntax. A region whose own prefixes are patterns gets a fast path that
  /// answers only numbers written with '+' (or its international prefix, when that one is
  /// plain digits): its national numbers need those patterns.
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
