// SPDX-License-Identifier: Apache-2.0
// Opt-out keyword matching.
#include "notify/optout_keywords.hpp"

namespace mobisync::notify {

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

bool isKeyword(std::string_view body, std::string_view keyword) {
  std::string k = normalizeReply(keyword);
  return !k.empty() && normalizeReply(body) == k;
}

std::optional<KeywordMatch> matchKeyword(const config::OptoutSettings& settings,
                                         std::string_view body) {
  if (!settings.enabled) return std::nullopt;
  std::string text = normalizeReply(body);
  if (text.empty()) return std::nullopt;
  for (bool opt_out : {true, false}) {
    for (const auto& language : settings.languages) {
      const auto& words = opt_out ? language.keywords : language.reverse_keywords;
      for (const auto& w : words) {
        if (normalizeReply(w) == text) return KeywordMatch{opt_out, w, &language};
      }
    }
  }
  return std::nullopt;
}

}  // namespace mobisync::notify
