// SPDX-License-Identifier: Apache-2.0
// Text helpers shared by the host, plugins and tools: bounded excerpts for error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mobisync::text {

/// How many bytes of a value an error message quotes at most.
inline constexpr std::size_t kExcerptBytes = 200;

/// `value` as an error may quote it: whole when short, else its first `max_bytes` bytes (never
/// cutting a UTF-8 sequence) followed by "... (N bytes)". Control bytes show as '?', so a NUL
/// or an escape sequence in the data cannot garble a terminal or a log line.
inline std::string excerpt(std::string_view value, std::size_t max_bytes = kExcerptBytes) {
  std::size_t keep = value.size();
  if (keep > max_bytes) {
    keep = max_bytes;
    // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (keep > 0 && (static_cast<unsigned char>(value[keep]) & 0xC0U) == 0x80U) --keep;
  }
  std::string out;
  out.reserve(keep + 24);
  for (std::size_t i = 0; i < keep; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    out += (c < 0x20U && c != '\t') || c == 0x7FU ? '?' : static_cast<char>(c);
  }
  if (keep < value.size()) {
    out += "... (";
    out += std::to_string(value.size());
    out += " bytes)";
  }
  return out;
}

/// `s` without the blanks (space, tab) at either end.
inline std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace mobisync::text
