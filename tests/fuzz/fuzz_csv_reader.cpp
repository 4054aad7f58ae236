// SPDX-License-Identifier: Apache-2.0
// Fuzzes the CSV plugin's record reader and UTF-8 check over any bytes, with small buffers so
// records straddle refills. Checks that every field and the raw text lie inside what was read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "csv_reader.hpp"
#include "utf8.hpp"

using mobisync::plugins::csv::Dialect;
using mobisync::plugins::csv::ReaderLimits;
using mobisync::plugins::csv::RecordReader;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the dialect and the limits; the rest is the file.
  const std::uint8_t knobs = data[0];
  Dialect dialect;
  dialect.delimiter = (knobs & 1) != 0 ? ';' : ',';
  dialect.has_quote = (knobs & 2) == 0;
  ReaderLimits limits;
  limits.chunk_size = 1 + ((knobs >> 2) & 7) * 5;
  limits.max_record_bytes = (knobs & 0x20) != 0 ? 64 : std::size_t{1} << 20;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  RecordReader reader(dialect, limits);
  reader.openBuffer(text);
  std::uint64_t last_line = 0;
  for (int guard = 0; guard <= static_cast<int>(text.size()) + 1; ++guard) {
    const RecordReader::Next n = reader.next();
    if (n != RecordReader::Next::Record) break;
    const auto& r = reader.record();
    // Lines only move forward, and a record holds at least one field.
    if (r.line <= last_line || r.fields.empty() || r.raw.size() > text.size()) std::abort();
    last_line = r.line;
    for (std::string_view f : r.fields) {
      if (f.size() > r.raw.size()) std::abort();
      (void)mobisync::plugins::csv::isValidUtf8(f);
    }
  }
  (void)mobisync::plugins::csv::isValidUtf8(text);
  return 0;
}
