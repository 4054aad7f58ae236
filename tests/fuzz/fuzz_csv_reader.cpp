// SPDX-License-Identifier: Apache-2.0
// Fuzzes the CSV plugin's decoder, record reader and UTF-8 check over any bytes, with small
// buffers so sequences and records straddle refills. Checks that the decoder yields UTF-8 (bar
// its marks for undecodable input) and that every field and the raw text lie inside what was
// read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "csv_reader.hpp"
#include "decoder.hpp"
#include "utf8.hpp"

using mobisync::plugins::csv::ByteSource;
using mobisync::plugins::csv::Dialect;
using mobisync::plugins::csv::Encoding;
using mobisync::plugins::csv::ReaderLimits;
using mobisync::plugins::csv::RecordReader;

namespace {

// The input a few bytes at a time, as a slow file gives it.
class PieceBytes final : public ByteSource {
 public:
  PieceBytes(std::string_view bytes, std::size_t piece) : bytes_(bytes), piece_(piece) {}
  std::ptrdiff_t read(char* out, std::size_t size) override {
    const std::size_t n = std::min({size, piece_, bytes_.size()});
    std::memcpy(out, bytes_.data(), n);
    bytes_.remove_prefix(n);
    return static_cast<std::ptrdiff_t>(n);
  }
  const std::string& error() const override { return error_; }

 private:
  std::string_view bytes_;
  std::size_t piece_;
  std::string error_;
};

// The decoded text: all of it, checked to be UTF-8 once the marks are taken out.
std::string decode(Encoding encoding, std::string_view bytes, std::size_t piece) {
  PieceBytes input(bytes, piece);
  mobisync::plugins::csv::Utf8Decoder decoder(encoding, input);
  std::string text;
  char buffer[13];
  for (;;) {
    const std::ptrdiff_t n = decoder.read(buffer, sizeof buffer);
    if (n < 0) return text;  // a refused BOM
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  std::string unmarked = text;
  std::erase(unmarked, mobisync::plugins::csv::kUndecodable);
  if (!mobisync::plugins::csv::isValidUtf8(unmarked)) std::abort();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the dialect, the limits and the encoding; the rest is the file.
  const std::uint8_t knobs = data[0];
  Dialect dialect;
  dialect.delimiter = (knobs & 1) != 0 ? ';' : ',';
  dialect.has_quote = (knobs & 2) == 0;
  ReaderLimits limits;
  limits.chunk_size = 1 + ((knobs >> 2) & 7) * 5;
  limits.max_record_bytes = (knobs & 0x20) != 0 ? 64 : std::size_t{1} << 20;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string decoded;
  switch (knobs >> 6) {
    case 1:
      decoded = decode(Encoding::Windows1252, text, limits.chunk_size);
      text = decoded;
      break;
    case 2:
      decoded = decode(Encoding::Utf16, text, limits.chunk_size);
      text = decoded;
      break;
    default:
      break;  // utf-8: read as it is
  }

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
