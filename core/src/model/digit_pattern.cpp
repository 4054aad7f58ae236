// SPDX-License-Identifier: Apache-2.0
// DigitPattern: a recursive-descent parser for the metadata's regex subset, and a matcher on
// bit sets of reachable positions.
#include "model/digit_pattern.hpp"

#include <algorithm>

namespace mobisync::model {

namespace {

constexpr std::uint16_t kAnyDigit = 0x3ff;
// Nesting of the metadata's patterns is a handful of levels; this bounds recursion on any input.
constexpr int kMaxDepth = 64;

[[noreturn]] void refuse(std::string_view pattern, std::size_t at, const char* why) {
  throw std::invalid_argument(std::string(why) + " at offset " + std::to_string(at) +
                              " of digit pattern \"" + std::string(pattern.substr(0, 60)) + "\"");
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int parseCount(std::string_view p, std::size_t& i) {
  if (i >= p.size() || !isDigit(p[i])) refuse(p, i, "expected a count");
  int n = 0;
  while (i < p.size() && isDigit(p[i])) {
    n = n * 10 + (p[i++] - '0');
    if (n > 1000) refuse(p, i, "count too large");
  }
  return n;
}

}  // namespace

/// The input's positions, per digit: bit p of at[d] is set when digit p of the input is d.
struct DigitPattern::Input {
  std::uint64_t at[10] = {};
  std::uint64_t any = 0;
  std::uint64_t whole = 0;  ///< the bit of the end position
};

DigitPattern::DigitPattern(std::string_view pattern) {
  std::size_t i = 0;
  root_ = parseAlternation(pattern, i, 0);
  if (i != pattern.size()) refuse(pattern, i, "unexpected character");
  shape_ = shapeOf(root_);
}

DigitPattern::Shape DigitPattern::shapeOf(int index) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  Shape out;
  auto add = [](int a, int b) { return a == -1 || b == -1 ? -1 : a + b; };
  switch (n.kind) {
    case Node::Digits:
      out.min = out.max = 1;
      out.first = n.digits;
      break;
    case Node::Sequence:
      out.nullable = true;
      for (int kid : n.kids) {
        const Shape k = shapeOf(kid);
        if (out.nullable) out.first |= k.first;
        out.min += k.min;
        out.max = add(out.max, k.max);
        out.nullable = out.nullable && k.nullable;
      }
      break;
    case Node::Either:
      out.min = -1;
      for (int kid : n.kids) {
        const Shape k = shapeOf(kid);
        out.first |= k.first;
        out.min = out.min == -1 ? k.min : std::min(out.min, k.min);
        out.max = (out.max == -1 || k.max == -1) ? -1 : std::max(out.max, k.max);
        out.nullable = out.nullable || k.nullable;
      }
      if (out.min == -1) out.min = 0;
      break;
    case Node::Repeat: {
      const Shape k = shapeOf(n.kids.front());
      out.min = n.min * k.min;
      out.max = (n.max == -1 || k.max == -1) ? (n.max == 0 ? 0 : -1) : n.max * k.max;
      out.first = n.max == 0 ? 0 : k.first;
      out.nullable = n.min == 0 || k.nullable;
      break;
    }
  }
  return out;
}

int DigitPattern::parseAlternation(std::string_view p, std::size_t& i, int depth) {
  if (depth > kMaxDepth) refuse(p, i, "nested too deep");
  Node either;
  either.kind = Node::Either;
  either.kids.push_back(parseSequence(p, i, depth));
  while (i < p.size() && p[i] == '|') {
    ++i;
    either.kids.push_back(parseSequence(p, i, depth));
  }
  if (either.kids.size() == 1) return either.kids.front();
  nodes_.push_back(std::move(either));
  return static_cast<int>(nodes_.size()) - 1;
}

int DigitPattern::parseSequence(std::string_view p, std::size_t& i, int depth) {
  Node seq;
  seq.kind = Node::Sequence;
  while (i < p.size() && p[i] != '|' && p[i] != ')') {
    int atom = parseAtom(p, i, depth);
    if (i < p.size() && (p[i] == '?' || p[i] == '{')) {
      Node rep;
      rep.kind = Node::Repeat;
      rep.kids.push_back(atom);
      if (p[i] == '?') {
        rep.min = 0;
        rep.max = 1;
        ++i;
      } else {
        ++i;
        rep.min = rep.max = parseCount(p, i);
        if (i < p.size() && p[i] == ',') {
          ++i;
          rep.max = (i < p.size() && p[i] == '}') ? -1 : parseCount(p, i);
        }
        if (i >= p.size() || p[i] != '}') refuse(p, i, "expected '}'");
        ++i;
        if (rep.max != -1 && rep.max < rep.min) refuse(p, i, "bad count range");
      }
      // A lazy or possessive suffix would change what a prefix match consumes: refused.
      if (i < p.size() && (p[i] == '?' || p[i] == '+' || p[i] == '{')) {
        refuse(p, i, "unsupported quantifier");
      }
      nodes_.push_back(std::move(rep));
      atom = static_cast<int>(nodes_.size()) - 1;
    }
    seq.kids.push_back(atom);
  }
  nodes_.push_back(std::move(seq));
  return static_cast<int>(nodes_.size()) - 1;
}

int DigitPattern::parseAtom(std::string_view p, std::size_t& i, int depth) {
  Node atom;
  const char c = p[i];
  if (isDigit(c)) {
    atom.digits = static_cast<std::uint16_t>(1u << (c - '0'));
    ++i;
  } else if (c == '\\') {
    if (i + 1 >= p.size() || p[i + 1] != 'd') refuse(p, i, "unsupported escape");
    atom.digits = kAnyDigit;
    i += 2;
  } else if (c == '[') {
    ++i;
    if (i < p.size() && p[i] == '^') refuse(p, i, "negated class");
    while (i < p.size() && p[i] != ']') {
      if (p[i] == '\\') {
        if (i + 1 >= p.size() || p[i + 1] != 'd') refuse(p, i, "unsupported escape");
        atom.digits |= kAnyDigit;
        i += 2;
        continue;
      }
      if (!isDigit(p[i])) refuse(p, i, "unsupported class member");
      int from = p[i] - '0', to = from;
      ++i;
      if (i + 1 < p.size() && p[i] == '-' && isDigit(p[i + 1])) {
        to = p[i + 1] - '0';
        i += 2;
      }
      if (to < from) refuse(p, i, "bad class range");
      for (int d = from; d <= to; ++d) atom.digits |= static_cast<std::uint16_t>(1u << d);
    }
    if (i >= p.size()) refuse(p, i, "unterminated class");
    ++i;
  } else if (c == '(') {
    ++i;
    // Capturing or not, a group matches the same digits.
    if (p.substr(i, 2) == "?:") {
      i += 2;
    } else if (i < p.size() && p[i] == '?') {
      refuse(p, i, "unsupported group");
    }
    const int inner = parseAlternation(p, i, depth + 1);
    if (i >= p.size() || p[i] != ')') refuse(p, i, "expected ')'");
    ++i;
    return inner;
  } else {
    refuse(p, i, "unsupported character");
  }
  nodes_.push_back(std::move(atom));
  return static_cast<int>(nodes_.size()) - 1;
}

std::uint64_t DigitPattern::reach(int index, std::uint64_t from, const Input& in) const {
  if (from == 0) return 0;
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  switch (n.kind) {
    case Node::Digits: {
      std::uint64_t fits = 0;
      if (n.digits == kAnyDigit) {
        fits = in.any;
      } else {
        for (int d = 0; d < 10; ++d) {
          if (n.digits & (1u << d)) fits |= in.at[d];
        }
      }
      return (from & fits) << 1;
    }
    case Node::Sequence:
      for (int kid : n.kids) {
        from = reach(kid, from, in);
        if (from == 0) return 0;
      }
      return from;
    case Node::Either: {
      std::uint64_t out = 0;
      for (int kid : n.kids) out |= reach(kid, from, in);
      return out;
    }
    case Node::Repeat: {
      for (int k = 0; k < n.min; ++k) {
        from = reach(n.kids.front(), from, in);
        if (from == 0) return 0;
      }
      std::uint64_t all = from, frontier = from;
      for (int k = 0; n.max == -1 || k < n.max - n.min; ++k) {
        // Unbounded: only positions not seen yet can lead anywhere new.
        const std::uint64_t next = reach(n.kids.front(), frontier, in);
        const std::uint64_t fresh = next & ~all;
        all |= next;
        if (n.max == -1 ? fresh == 0 : next == 0) break;
        frontier = n.max == -1 ? fresh : next;
      }
      return all;
    }
  }
  return 0;
}

namespace {

template <typename Input>
bool prepare(std::string_view digits, Input& in) {
  if (digits.size() > DigitPattern::kMaxDigits) return false;
  for (std::size_t p = 0; p < digits.size(); ++p) {
    const int d = digits[p] - '0';
    if (d < 0 || d > 9) return false;
    in.at[d] |= std::uint64_t{1} << p;
  }
  in.any = (std::uint64_t{1} << digits.size()) - 1;
  in.whole = std::uint64_t{1} << digits.size();
  return true;
}

}  // namespace

bool DigitPattern::fullMatch(std::string_view digits) const {
  // Most inputs a number meets are refused here: the wrong length or the wrong first digit.
  const int n = static_cast<int>(digits.size());
  if (n < shape_.min || (shape_.max != -1 && n > shape_.max)) return false;
  if (n == 0) return shape_.nullable;
  const int d = digits.front() - '0';
  if (d < 0 || d > 9 || (shape_.first & (1u << d)) == 0) return false;
  Input in;
  if (!prepare(digits, in)) return false;
  return (reach(root_, 1, in) & in.whole) != 0;
}

bool DigitPattern::prefixMatch(std::string_view digits) const {
  if (shape_.nullable) return true;
  if (static_cast<int>(digits.size()) < shape_.min || digits.empty()) return false;
  const int d = digits.front() - '0';
  if (d < 0 || d > 9 || (shape_.first & (1u << d)) == 0) return false;
  Input in;
  if (!prepare(digits, in)) return false;
  return reach(root_, 1, in) != 0;
}

}  // namespace mobisync::model
