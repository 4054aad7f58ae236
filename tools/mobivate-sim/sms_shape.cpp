// SPDX-License-Identifier: Apache-2.0
// Stand-in SMS measurement until the SDK's mobisync/sms encoder is available to the simulator.
#include "sms_shape.hpp"

#include <cstdint>
#include <vector>

namespace mobisync::sim {
namespace {

// GSM 03.38 default alphabet (besides ASCII letters and digits) and extension table.
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà";
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

std::optional<std::u32string> decodeUtf8(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                       : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      return std::nullopt;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return std::nullopt;
      }
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

bool isAsciiAlnum(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

// Counts parts of `sizes` (units per character) packed into parts of `limit` units, never
// splitting one character (an escape pair or a surrogate pair) across two parts.
std::size_t countParts(const std::vector<unsigned>& sizes, std::size_t single, std::size_t limit) {
  std::size_t total = 0;
  for (unsigned s : sizes) {
    total += s;
  }
  if (total <= single) {
    return 1;
  }
  std::size_t parts = 1;
  std::size_t used = 0;
  for (unsigned s : sizes) {
    if (used + s > limit) {
      ++parts;
      used = 0;
    }
    used += s;
  }
  return parts;
}

}  // namespace

std::optional<SmsShape> measureSms(std::string_view utf8) {
  std::optional<std::u32string> chars = decodeUtf8(utf8);
  if (!chars) {
    return std::nullopt;
  }
  std::vector<unsigned> septets;
  bool gsm = true;
  for (char32_t c : *chars) {
    if (isAsciiAlnum(c) || kGsmBasic.find(c) != std::u32string_view::npos) {
      septets.push_back(1);
    } else if (kGsmExtension.find(c) != std::u32string_view::npos) {
      septets.push_back(2);
    } else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return SmsShape{"GSM-7", countParts(septets, 160, 153)};
  }
  std::vector<unsigned> units;
  for (char32_t c : *chars) {
    units.push_back(c > 0xFFFF ? 2 : 1);
  }
  return SmsShape{"UCS-2", countParts(units, 70, 67)};
}

}  // namespace mobisync::sim
