// SPDX-License-Identifier: Apache-2.0
// Replies reduced to what keyword matching compares.
#include "values/reply_text.hpp"

namespace mobisync::values {

namespace {

// The length of the blank at the start of `s` (ASCII blanks, or U+00A0 as UTF-8), 0 if none.
std::size_t blankAt(std::string_view s) {
  if (s.empty()) return 0;
  char c = s.front();
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xC2 &&
      static_cast<unsigned char>(s[1]) == 0xA0) {
    return 2;
  }
  return 0;
}

bool isTrailingPunctuation(char c) {
  return c == '.' || c == '!' || c == '?' || c == ',' || c == ';' || c == ':';
}

}  // namespace

std::string normalizeReply(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  bool pending_blank = false;
  while (!body.empty()) {
    if (std::size_t n = blankAt(body); n > 0) {
      pending_blank = !out.empty();
      body.remove_prefix(n);
      continue;
    }
    if (pending_blank) out.push_back(' ');
    pending_blank = false;
    char c = body.front();
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    body.remove_prefix(1);
  }
  // Trailing punctuation, and blanks between it and the word ("STOP !").
  while (!out.empty() && (isTrailingPunctuation(out.back()) || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace mobisync::values
