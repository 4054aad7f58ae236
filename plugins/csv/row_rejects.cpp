// SPDX-License-Identifier: Apache-2.0
// What a rejected row tells the user and the engine: where its bad text is, which cells may
// still hold its number.
#include "row_rejects.hpp"

#include <algorithm>

#include "mobisync/text.hpp"
#include "utf8.hpp"

namespace mobisync::plugins::csv {

TextPosition locate(std::string_view raw, std::uint64_t first_line, std::size_t offset) {
  const std::string_view before = raw.substr(0, offset);
  const std::size_t newline = before.rfind('\n');
  const std::string_view line =
      newline == std::string_view::npos ? before : before.substr(newline + 1);
  TextPosition at;
  at.line = first_line + static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n'));
  // Characters, not bytes: continuation bytes (10xxxxxx) belong to the character before them.
  at.column = 1 + static_cast<std::uint64_t>(std::count_if(line.begin(), line.end(), [](char c) {
                return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
              }));
  return at;
}

std::string unreadableText(Encoding encoding, const TextPosition& at, unsigned char byte,
                           std::string_view field) {
  const std::string where =
      "line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
  if (encoding == Encoding::Utf8) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const std::string hex = {kHex[byte >> 4], kHex[byte & 0xFU]};
    return "invalid UTF-8 at " + where + " (byte 0x" + hex + " in field " + std::string(field) +
           "); if the file is not UTF-8, set encoding = \"windows-1252\"";
  }
  return std::string("text that is not valid ") + encodingName(encoding) + " at " + where +
         " (in field " + std::string(field) + "); check the source's encoding key";
}

std::vector<std::string> shiftedNumberCells(std::span<const std::string_view> fields,
                                            std::size_t width, std::size_t msisdn) {
  const std::size_t found = fields.size();
  std::size_t first = msisdn;
  std::size_t last = msisdn;
  if (found > width) {
    last = msisdn + (found - width);
  } else if (found < width) {
    first = msisdn > width - found ? msisdn - (width - found) : 0;
    last = std::min(msisdn, found - 1);
  }
  std::vector<std::string> cells;
  for (std::size_t i = first; i <= last && i < found; ++i) {
    const std::string_view cell = text::trimBlanks(fields[i]);
    if (!cell.empty() && isValidUtf8(cell)) {
      cells.emplace_back(cell);
    }
  }
  return cells;
}

}  // namespace mobisync::plugins::csv
