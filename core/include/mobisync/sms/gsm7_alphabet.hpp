// SPDX-License-Identifier: Apache-2.0
// The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table, as data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace mobisync::sms {

/// The septet that announces a character of the extension table.
inline constexpr std::uint8_t kGsm7Escape = 0x1B;

/// The default alphabet: septet value -> Unicode. 0x1B is the escape and maps to no character
/// (U+FFFF here, never a valid input).
inline constexpr std::array<char32_t, 128> kGsm7Default = {
    U'@',    U'\u00A3', U'$',     U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',  // 0x00
    U'\u00F2', U'\u00C7', U'\n',  U'\u00D8', U'\u00F8', U'\r',    U'\u00C5', U'\u00E5',  // 0x08
    U'\u0394', U'_',    U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',  // 0x10
    U'\u03A3', U'\u0398', U'\u039E', U'\uFFFF', U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',  // 0x18
    U' ',    U'!',      U'"',     U'#',      U'\u00A4', U'%',      U'&',      U'\'',       // 0x20
    U'(',    U')',      U'*',     U'+',      U',',      U'-',      U'.',      U'/',        // 0x28
    U'0',    U'1',      U'2',     U'3',      U'4',      U'5',      U'6',      U'7',        // 0x30
    U'8',    U'9',      U':',     U';',      U'<',      U'=',      U'>',      U'?',        // 0x38
    U'\u00A1', U'A',    U'B',     U'C',      U'D',      U'E',      U'F',      U'G',        // 0x40
    U'H',    U'I',      U'J',     U'K',      U'L',      U'M',      U'N',      U'O',        // 0x48
    U'P',    U'Q',      U'R',     U'S',      U'T',      U'U',      U'V',      U'W',        // 0x50
    U'X',    U'Y',      U'Z',     U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',  // 0x58
    U'\u00BF', U'a',    U'b',     U'c',      U'd',      U'e',      U'f',      U'g',        // 0x60
    U'h',    U'i',      U'j',     U'k',      U'l',      U'm',      U'n',      U'o',        // 0x68
    U'p',    U'q',      U'r',     U's',      U't',      U'u',      U'v',      U'w',        // 0x70
    U'x',    U'y',      U'z',     U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',  // 0x78
};

/// One entry of the extension table: sent as the escape followed by `septet`, two septets.
struct Gsm7Extension {
  std::uint8_t septet;
  char32_t character;
};

/// The extension table of the default alphabet (no national shift tables).
inline constexpr std::array<Gsm7Extension, 10> kGsm7Extensions = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'\u20AC'},
}};

/// The default-alphabet septet of `c`, or nullopt when it has none. Pure; thread-safe.
inline std::optional<std::uint8_t> gsm7DefaultSeptet(char32_t c) {
  // ASCII letters and digits sit at their ASCII positions; test the common case first.
  if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9')) {
    return static_cast<std::uint8_t>(c);
  }
  for (std::size_t s = 0; s < kGsm7Default.size(); ++s) {
    if (s != kGsm7Escape && kGsm7Default[s] == c) return static_cast<std::uint8_t>(s);
  }
  return std::nullopt;
}

/// The extension-table septet (sent after the escape) of `c`, or nullopt. Pure; thread-safe.
inline std::optional<std::uint8_t> gsm7ExtensionSeptet(char32_t c) {
  for (const auto& e : kGsm7Extensions) {
    if (e.character == c) return e.septet;
  }
  return std::nullopt;
}

/// The character the escape followed by `septet` stands for, or nullopt. Pure; thread-safe.
inline std::optional<char32_t> gsm7ExtensionCharacter(std::uint8_t septet) {
  for (const auto& e : kGsm7Extensions) {
    if (e.septet == septet) return e.character;
  }
  return std::nullopt;
}

}  // namespace mobisync::sms
