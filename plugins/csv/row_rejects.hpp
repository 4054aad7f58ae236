// SPDX-License-Identifier: Apache-2.0
// What a rejected row tells the user and the engine: where its bad text is, which cells may
// still hold its number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoder.hpp"

namespace mobisync::plugins::csv {

/// Where a byte of a record sits as an editor shows it: the physical line and the character
/// column within that line, both 1-based.
struct TextPosition {
  std::uint64_t line = 0;
  std::uint64_t column = 0;
};

/// The position of byte `offset` of a record's raw text that starts on `first_line`; the bytes
/// before `offset` must be valid UTF-8 (each character counts once).
TextPosition locate(std::string_view raw, std::uint64_t first_line, std::size_t offset);

/// Why text is unreadable at `at` in `field` (a label such as "\"name\"" or "2"): for utf-8,
/// the byte and a hint to set the encoding a spreadsheet most likely wrote; for the others,
/// that the text is not valid in that encoding.
std::string unreadableText(Encoding encoding, const TextPosition& at, unsigned char byte,
                           std::string_view field);

/// The cells of a row of `fields.size()` fields, where the header has `width`, that the cell of
/// column `msisdn` may have moved to: a stray delimiter in an earlier cell shifts it right, a
/// missing one left. Only cells that hold text (valid UTF-8, not blank) are kept, trimmed.
std::vector<std::string> shiftedNumberCells(std::span<const std::string_view> fields,
                                            std::size_t width, std::size_t msisdn);

}  // namespace mobisync::plugins::csv
