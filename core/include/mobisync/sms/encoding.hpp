// SPDX-License-Identifier: Apache-2.0
// SMS text encoding: GSM-7 or UCS-2, part splitting, septet packing, and the decoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mobisync/result.hpp"
#include "mobisync/sms/gsm7_alphabet.hpp"
#include "mobisync/sms/utf8.hpp"
#include "mobisync/status.hpp"

namespace mobisync::sms {

/// The data coding of a message: GSM 03.38 default alphabet (7 bit) or UCS-2 (UTF-16).
enum class Coding { Gsm7, Ucs2 };

/// Units one part may hold: alone, or as one part of a concatenated message (the 6-byte UDH
/// takes the rest).
inline constexpr std::size_t kGsm7SinglePart = 160;
inline constexpr std::size_t kGsm7MultiPart = 153;
inline constexpr std::size_t kUcs2SinglePart = 70;
inline constexpr std::size_t kUcs2MultiPart = 67;

/// Units per part for each coding: alone, and as a part of a concatenated message. Value type.
struct PartLimits {
  std::size_t gsm7_single = kGsm7SinglePart;
  std::size_t gsm7_multi = kGsm7MultiPart;
  std::size_t ucs2_single = kUcs2SinglePart;
  std::size_t ucs2_multi = kUcs2MultiPart;
};
/// With the 7-octet UDH of a 16-bit concatenation reference (IEI 0x08) a part holds one septet
/// (GSM-7) or one unit (UCS-2) less: 133 octets are left.
inline constexpr PartLimits kConcat16BitLimits{kGsm7SinglePart, 152, kUcs2SinglePart, 66};

/// A text ready to send: its coding, its length in units and its parts. Value type.
struct Encoded {
  Coding coding = Coding::Gsm7;
  /// Septets (GSM-7, an extension character counts 2) or UTF-16 code units (UCS-2).
  std::size_t units = 0;
  /// Per part, the payload without UDH. GSM-7: one septet value per byte (unpacked, 0..127);
  /// UCS-2: UTF-16 big-endian bytes. An empty text has one empty part.
  std::vector<std::string> parts;
  /// How many SMS the text takes.
  std::size_t partCount() const { return parts.size(); }
};

/// "GSM-7" or "UCS-2".
inline const char* codingName(Coding coding) {
  return coding == Coding::Gsm7 ? "GSM-7" : "UCS-2";
}

namespace detail {

/// Cuts `units` (each a string of 1 or 2 payload bytes-or-septets that must stay together) into
/// parts of at most `single` units, or `multi` units when more than one part is needed.
/// `width` is the size of one unit in the payload (1 septet, or 2 UTF-16 bytes).
inline std::vector<std::string> splitParts(const std::vector<std::string>& chars,
                                           std::size_t total_units, std::size_t width,
                                           std::size_t single, std::size_t multi) {
  std::vector<std::string> parts;
  if (total_units <= single) {
    std::string whole;
    whole.reserve(total_units * width);
    for (const auto& c : chars) whole += c;
    parts.push_back(std::move(whole));
    return parts;
  }
  const std::size_t limit = multi * width;
  std::string part;
  for (const auto& c : chars) {
    // A character never straddles two parts: an escape pair or a surrogate pair moves whole.
    if (part.size() + c.size() > limit) {
      parts.push_back(std::move(part));
      part.clear();
    }
    part += c;
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

inline void appendUtf16be(std::string& out, char16_t unit) {
  out.push_back(static_cast<char>(static_cast<unsigned char>(unit >> 8)));
  out.push_back(static_cast<char>(static_cast<unsigned char>(unit & 0xFF)));
}

}  // namespace detail

/// Encodes UTF-8 text for SMS. GSM-7 when every character is in the default alphabet or its
/// extension table, else UCS-2 (characters outside the BMP become surrogate pairs, 2 units).
/// One part up to 160 septets / 70 units; beyond that parts of at most 153 / 67, never splitting
/// an escape pair or a surrogate pair (`limits` changes those sizes). Invalid UTF-8 gives a
/// Rejected Status naming the byte. Pure; thread-safe.
inline Result<Encoded> encode(std::string_view utf8, const PartLimits& limits = {}) {
  auto decoded = decodeUtf8(utf8);
  if (!decoded) return decoded.error();
  const std::u32string& text = *decoded;

  // One entry per character, holding the payload that must stay in one part.
  std::vector<std::string> chars;
  chars.reserve(text.size());
  std::size_t septets = 0;
  bool gsm7 = true;
  for (char32_t c : text) {
    if (auto s = gsm7DefaultSeptet(c)) {
      chars.emplace_back(1, static_cast<char>(*s));
      septets += 1;
    } else if (auto e = gsm7ExtensionSeptet(c)) {
      chars.push_back(std::string{static_cast<char>(kGsm7Escape), static_cast<char>(*e)});
      septets += 2;
    } else {
      gsm7 = false;
      break;
    }
  }

  Encoded out;
  if (gsm7) {
    out.coding = Coding::Gsm7;
    out.units = septets;
    out.parts = detail::splitParts(chars, septets, 1, limits.gsm7_single, limits.gsm7_multi);
    return out;
  }

  chars.clear();
  std::size_t units = 0;
  for (char32_t c : text) {
    std::string bytes;
    if (c >= 0x10000) {
      const char32_t v = c - 0x10000;
      detail::appendUtf16be(bytes, static_cast<char16_t>(0xD800 + (v >> 10)));
      detail::appendUtf16be(bytes, static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
      units += 2;
    } else {
      detail::appendUtf16be(bytes, static_cast<char16_t>(c));
      units += 1;
    }
    chars.push_back(std::move(bytes));
  }
  out.coding = Coding::Ucs2;
  out.units = units;
  out.parts = detail::splitParts(chars, units, 2, limits.ucs2_single, limits.ucs2_multi);
  return out;
}

/// Packs septets (one per byte, 0..127; the high bit is ignored) into the GSM 03.38 7-bit
/// stream, least significant bit first. `fill_bits` (0..6) zero bits come first, so that the
/// septets start on a septet boundary after a UDH. Pure; thread-safe.
inline std::string packSeptets(std::string_view septets, unsigned fill_bits = 0) {
  const std::size_t bits = fill_bits + 7 * septets.size();
  std::string out((bits + 7) / 8, '\0');
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const unsigned s = static_cast<unsigned char>(septets[i]) & 0x7FU;
    const std::size_t pos = fill_bits + 7 * i;
    const std::size_t byte = pos / 8;
    const unsigned shift = static_cast<unsigned>(pos % 8);
    out[byte] = static_cast<char>(static_cast<unsigned char>(out[byte]) | ((s << shift) & 0xFFU));
    if (shift > 1) {
      out[byte + 1] = static_cast<char>(static_cast<unsigned char>(out[byte + 1]) |
                                        (s >> (8 - shift)));
    }
  }
  return out;
}

/// Unpacks `septet_count` septets from a GSM 03.38 7-bit stream that starts with `fill_bits`
/// (0..6) bits to skip. Returns one septet per byte; stops early when `packed` holds fewer.
/// Pure; thread-safe.
inline std::string unpackSeptets(std::string_view packed, std::size_t septet_count,
                                 unsigned fill_bits = 0) {
  const std::size_t available_bits = packed.size() * 8;
  const std::size_t fit =
      available_bits > fill_bits ? (available_bits - fill_bits) / 7 : 0;
  const std::size_t count = septet_count < fit ? septet_count : fit;
  std::string out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t pos = fill_bits + 7 * i;
    const std::size_t byte = pos / 8;
    const unsigned shift = static_cast<unsigned>(pos % 8);
    unsigned v = static_cast<unsigned char>(packed[byte]) >> shift;
    if (shift > 1 && byte + 1 < packed.size()) {
      v |= static_cast<unsigned>(static_cast<unsigned char>(packed[byte + 1])) << (8 - shift);
    }
    out.push_back(static_cast<char>(v & 0x7FU));
  }
  return out;
}

/// Decodes unpacked septets (one per byte) to UTF-8. An escape followed by a septet the
/// extension table lacks stands for that septet's default character (3GPP TS 23.038 6.2.1.1).
/// A septet above 127 or an escape with nothing after it is refused, naming its position.
/// Pure; thread-safe.
inline Result<std::string> decodeGsm7(std::string_view unpacked_septets) {
  std::string out;
  out.reserve(unpacked_septets.size());
  for (std::size_t i = 0; i < unpacked_septets.size(); ++i) {
    const auto s = static_cast<unsigned char>(unpacked_septets[i]);
    if (s > 0x7F) {
      return Status::rejected("GSM-7 septet " + std::to_string(i) + " is " + std::to_string(s) +
                              ", above 127");
    }
    if (s != kGsm7Escape) {
      appendUtf8(out, kGsm7Default[s]);
      continue;
    }
    if (i + 1 == unpacked_septets.size()) {
      return Status::rejected("GSM-7 escape at septet " + std::to_string(i) +
                              " has no character after it");
    }
    const auto next = static_cast<unsigned char>(unpacked_septets[++i]);
    if (next > 0x7F) {
      return Status::rejected("GSM-7 septet " + std::to_string(i) + " is " +
                              std::to_string(next) + ", above 127");
    }
    if (auto c = gsm7ExtensionCharacter(next)) {
      appendUtf8(out, *c);
    } else if (next == kGsm7Escape) {
      appendUtf8(out, U' ');  // a double escape is reserved; the spec says show a space
    } else {
      appendUtf8(out, kGsm7Default[next]);
    }
  }
  return out;
}

/// Decodes UTF-16 big-endian bytes (UCS-2 with surrogate pairs) to UTF-8. An odd byte count or
/// an unpaired surrogate is refused, naming its position. Pure; thread-safe.
inline Result<std::string> decodeUcs2(std::string_view utf16be) {
  if (utf16be.size() % 2 != 0) {
    return Status::rejected("UCS-2 text has an odd number of bytes (" +
                            std::to_string(utf16be.size()) + ")");
  }
  auto unitAt = [&](std::size_t k) {
    return static_cast<char16_t>((static_cast<unsigned char>(utf16be[2 * k]) << 8) |
                                 static_cast<unsigned char>(utf16be[2 * k + 1]));
  };
  const std::size_t n = utf16be.size() / 2;
  std::string out;
  out.reserve(utf16be.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char16_t u = unitAt(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 == n || unitAt(i + 1) < 0xDC00 || unitAt(i + 1) > 0xDFFF) {
        return Status::rejected("UCS-2 unit " + std::to_string(i) +
                                " is a high surrogate without its low half");
      }
      const char16_t low = unitAt(++i);
      appendUtf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) +
                          (static_cast<char32_t>(low) - 0xDC00));
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return Status::rejected("UCS-2 unit " + std::to_string(i) +
                              " is a low surrogate without its high half");
    } else {
      appendUtf8(out, u);
    }
  }
  return out;
}

}  // namespace mobisync::sms
