// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation for CSV cells, fast on the ASCII text most contact files hold.
#include "utf8.hpp"

#include <cstdint>
#include <cstring>

namespace mobisync::plugins::csv {

namespace {

// Eight bytes at a time: almost every msisdn, reference and most names are plain ASCII, so the
// byte-wise decoder below runs only from the first non-ASCII byte onwards.
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

bool isContinuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

}  // namespace

bool isValidUtf8(std::string_view text) noexcept {
  return invalidUtf8At(text) == std::string_view::npos;
}

std::size_t invalidUtf8At(std::string_view text) noexcept {
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* p = begin;
  const unsigned char* const end = p + text.size();
  const auto at = [&] { return static_cast<std::size_t>(p - begin); };

  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & kHighBits) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80U) {
      ++p;
      continue;
    }
    // Ranges from RFC 3629 section 4: the second byte's bounds exclude overlong forms (E0, F0),
    // surrogates (ED) and code points above U+10FFFF (F4).
    std::ptrdiff_t len = 0;
    unsigned char lo = 0x80U;
    unsigned char hi = 0xBFU;
    if (c >= 0xC2U && c <= 0xDFU) {
      len = 2;
    } else if (c >= 0xE0U && c <= 0xEFU) {
      len = 3;
      if (c == 0xE0U) {
        lo = 0xA0U;
      } else if (c == 0xEDU) {
        hi = 0x9FU;
      }
    } else if (c >= 0xF0U && c <= 0xF4U) {
      len = 4;
      if (c == 0xF0U) {
        lo = 0x90U;
      } else if (c == 0xF4U) {
        hi = 0x8FU;
      }
    } else {
      return at();
    }
    if (end - p < len) {
      return at();
    }
    if (p[1] < lo || p[1] > hi) {
      return at();
    }
    for (std::ptrdiff_t i = 2; i < len; ++i) {
      if (!isContinuation(p[i])) {
        return at();
      }
    }
    p += len;
  }
  return std::string_view::npos;
}

}  // namespace mobisync::plugins::csv
