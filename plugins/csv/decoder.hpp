// SPDX-License-Identifier: Apache-2.0
// Encoding and Utf8Decoder: a CSV file's text encoding, and ICU turning it into UTF-8 as it is read.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"

struct UConverter;

namespace mobisync::plugins::csv {

/// The encodings the `encoding` key accepts.
enum class Encoding { Utf8, Windows1252, Iso88591, Utf16 };

/// What the `encoding` key says (ASCII case ignored), or nullopt for a name not supported.
std::optional<Encoding> parseEncoding(std::string_view name);
/// The key's spelling of `encoding`, e.g. "windows-1252".
const char* encodingName(Encoding encoding);

/// The byte Utf8Decoder writes in place of a sequence that is not valid in its encoding. It is
/// never valid UTF-8, so the row holding it fails the UTF-8 check every row passes, which
/// names its line and column.
inline constexpr char kUndecodable = '\xFF';

/// Reads another ByteSource in `encoding` (any but Utf8) and yields its text as UTF-8, decoded
/// by ICU a bounded piece at a time (never the whole file). utf-16 takes its byte order from
/// the byte order mark, which it drops; without one it guesses from where the first character's
/// zero byte is (a header's first character is ASCII), else big-endian as RFC 2781 says. A
/// single-byte encoding refuses a file that starts with a UTF-8 byte order mark (the file is
/// UTF-8: decoding it would garble every accent). Not thread-safe; not copyable.
class Utf8Decoder final : public ByteSource {
 public:
  Utf8Decoder(Encoding encoding, ByteSource& input);
  ~Utf8Decoder() override;
  Utf8Decoder(const Utf8Decoder&) = delete;
  Utf8Decoder& operator=(const Utf8Decoder&) = delete;

  std::ptrdiff_t read(char* out, std::size_t size) override;
  const std::string& error() const override { return error_; }

 private:
  bool start();
  bool fillRaw(std::size_t at_least);
  bool decodeMore();
  void appendUtf8(const char16_t* begin, const char16_t* end);

  Encoding encoding_;
  ByteSource& input_;
  UConverter* converter_ = nullptr;
  bool started_ = false;
  bool input_ended_ = false;
  bool done_ = false;

  std::vector<char> raw_;  // bytes as read, not yet decoded
  std::size_t raw_begin_ = 0;
  std::size_t raw_end_ = 0;
  std::vector<char16_t> utf16_;
  char16_t high_surrogate_ = 0;  // the first half of a pair whose second half is still to come
  std::vector<char> utf8_;       // decoded text not yet handed out
  std::size_t utf8_begin_ = 0;
  std::size_t utf8_end_ = 0;
  std::string error_;
};

}  // namespace mobisync::plugins::csv
