// SPDX-License-Identifier: Apache-2.0
// DigitPattern: the regular expressions of libphonenumber's metadata, matched against digits.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mobisync::model {

/// One of the digit patterns libphonenumber's metadata holds (national number patterns,
/// leading digits): digits, `\d`, classes such as `[2-46-9]`, groups `(...)` and `(?:...)`,
/// alternation and the quantifiers `?`, `{n}`, `{n,m}` and `{n,}`. That is every construct the
/// metadata uses; anything else is refused when compiled, so a metadata update that starts
/// using one turns the fast path off rather than answering differently.
///
/// Matching runs on the set of positions a pattern may have reached, one bit per position of
/// the input, so it never backtracks: a whole pattern costs one pass over its nodes, and a
/// branch whose first digit does not fit is left after one step.
class DigitPattern {
 public:
  /// Longest input matched (the bit set is 64 positions).
  static constexpr std::size_t kMaxDigits = 62;

  /// @throws std::invalid_argument on syntax outside the subset above.
  explicit DigitPattern(std::string_view pattern);

  /// The whole of `digits` (ASCII digits only, at most kMaxDigits) matches.
  bool fullMatch(std::string_view digits) const;
  /// Some prefix of `digits`, the empty one included, matches (a regex "lookingAt").
  bool prefixMatch(std::string_view digits) const;

 private:
  struct Node {
    enum Kind : std::uint8_t { Digits, Sequence, Either, Repeat } kind = Digits;
    std::uint16_t digits = 0;  ///< Digits: bit d set when digit d matches
    int min = 1, max = 1;      ///< Repeat: max -1 for unbounded
    std::vector<int> kids;
  };
  struct Input;

  /// What any match of a node looks like, for rejecting an input before walking the pattern.
  struct Shape {
    int min = 0, max = 0;        ///< match lengths; max -1 for unbounded
    std::uint16_t first = 0;     ///< digits a non-empty match may start with
    bool nullable = false;       ///< matches the empty string
  };

  int parseAlternation(std::string_view p, std::size_t& i, int depth);
  Shape shapeOf(int node) const;
  int parseSequence(std::string_view p, std::size_t& i, int depth);
  int parseAtom(std::string_view p, std::size_t& i, int depth);
  std::uint64_t reach(int node, std::uint64_t from, const Input& in) const;

  std::vector<Node> nodes_;
  int root_ = -1;
  Shape shape_;
};

}  // namespace mobisync::model
