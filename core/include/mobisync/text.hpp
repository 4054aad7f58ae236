// SPDX-License-Identifier: Apache-2.0
// Text helpers shared by the host, plugins and tools: bounded excerpts and quoting for error
// messages, trimming and ASCII case. Header-only, so a plugin uses them without linking the core.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mobisync::text {

/// True for a control byte that garbles a terminal or a log line and that no clean value holds: the
/// C0 controls other than tab, and DEL. Bytes from 0x80 up (UTF-8) are not control bytes here.
inline constexpr bool isControlByte(unsigned char c) {
  return (c < 0x20U && c != '\t') || c == 0x7FU;
}

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
    out += isControlByte(c) ? '?' : static_cast<char>(c);
  }
  if (keep < value.size()) {
    out += "... (";
    out += std::to_string(value.size());
    out += " bytes)";
  }
  return out;
}

/// `value` as an error quotes it: its excerpt() in double quotes.
inline std::string quoted(std::string_view value, std::size_t max_bytes = kExcerptBytes) {
  std::string out = excerpt(value, max_bytes);
  out.insert(out.begin(), '"');
  out += '"';
  return out;
}

/// `s` without the blanks (space, tab) at either end.
inline std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// True for the ASCII white space std::isspace knows in the "C" locale: space, tab, line feed,
/// vertical tab, form feed, carriage return. Never locale-dependent.
inline constexpr bool isAsciiSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/// `s` without ASCII white space (blanks and line breaks) at either end: for values a driver or a
/// database may pad with line breaks.
inline std::string_view trimSpace(std::string_view s) {
  while (!s.empty() && isAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

/// `c` with an ASCII capital letter lowered; every other byte (UTF-8 included) unchanged.
inline constexpr char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `c` with an ASCII small letter raised; every other byte (UTF-8 included) unchanged.
inline constexpr char upperAscii(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// `s` with its ASCII capital letters lowered, whatever the locale.
inline std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

/// Whether `a` and `b` are equal when ASCII letters are compared without case.
inline bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace mobisync::text
