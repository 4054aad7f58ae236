// SPDX-License-Identifier: Apache-2.0
// UTF-8 to code points and back, strict (RFC 3629), for the SMS encoders.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::sms {

/// Appends the UTF-8 form of `cp` (a Unicode scalar value) to `out`. Pure; thread-safe.
inline void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Decodes well-formed UTF-8 into code points. Overlong forms, surrogates, values above
/// U+10FFFF and truncated sequences are refused with an error naming the byte offset.
/// Pure; thread-safe.
inline Result<std::u32string> decodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  auto invalid = [&](std::size_t at) {
    return Status::rejected("invalid UTF-8 at byte " + std::to_string(at) + " of the text");
  };
  while (i < n) {
    const unsigned char c = byteAt(i);
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    // RFC 3629 section 4: the second byte's bounds exclude overlong forms (E0, F0),
    // surrogates (ED) and code points above U+10FFFF (F4).
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0FU;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07U;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return invalid(i);
    }
    if (n - i < len) return invalid(i);
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char b = byteAt(i + k);
      const unsigned char min = k == 1 ? lo : 0x80;
      const unsigned char max = k == 1 ? hi : 0xBF;
      if (b < min || b > max) return invalid(i);
      cp = (cp << 6) | (b & 0x3FU);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

}  // namespace mobisync::sms
