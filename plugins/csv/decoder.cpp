// SPDX-License-Identifier: Apache-2.0
// Encoding and Utf8Decoder: a CSV file's text encoding, and ICU turning it into UTF-8 as it is read.
#include "decoder.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstring>

#include "mobisync/text.hpp"

namespace mobisync::plugins::csv {

namespace {

// Pieces bounded so memory stays flat whatever the file's size: 64 KiB in, at most 3 bytes of
// UTF-8 per UTF-16 unit out.
constexpr std::size_t kRawBytes = std::size_t{64} << 10;
constexpr std::size_t kUtf16Units = std::size_t{64} << 10;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

std::optional<Encoding> parseEncoding(std::string_view name) {
  for (const Encoding e :
       {Encoding::Utf8, Encoding::Windows1252, Encoding::Iso88591, Encoding::Utf16}) {
    if (text::equalsIgnoringCase(name, encodingName(e))) {
      return e;
    }
  }
  return std::nullopt;
}

const char* encodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::Utf8:
      return "utf-8";
    case Encoding::Windows1252:
      return "windows-1252";
    case Encoding::Iso88591:
      return "iso-8859-1";
    case Encoding::Utf16:
      return "utf-16";
  }
  return "utf-8";
}

Utf8Decoder::Utf8Decoder(Encoding encoding, ByteSource& input)
    : encoding_(encoding),
      input_(input),
      raw_(kRawBytes),
      utf16_(kUtf16Units),
      utf8_(3 * kUtf16Units + 8) {}

Utf8Decoder::~Utf8Decoder() {
  if (converter_ != nullptr) {
    ucnv_close(converter_);
  }
}

std::ptrdiff_t Utf8Decoder::read(char* out, std::size_t size) {
  if (!started_) {
    if (!start()) {
      return -1;
    }
    started_ = true;
  }
  while (utf8_begin_ == utf8_end_) {
    if (done_) {
      return 0;
    }
    if (!decodeMore()) {
      return -1;
    }
  }
  const std::size_t n = std::min(size, utf8_end_ - utf8_begin_);
  std::memcpy(out, utf8_.data() + utf8_begin_, n);
  utf8_begin_ += n;
  return static_cast<std::ptrdiff_t>(n);
}

// Picks the converter from what the file starts with.
bool Utf8Decoder::start() {
  if (!fillRaw(kUtf8Bom.size())) {
    return false;
  }
  const std::string_view head(raw_.data() + raw_begin_, raw_end_ - raw_begin_);
  const char* converter_name = "UTF-16BE";
  switch (encoding_) {
    case Encoding::Windows1252:
    case Encoding::Iso88591:
      if (head.starts_with(kUtf8Bom)) {
        error_ = std::string("it starts with a UTF-8 byte order mark, so it is UTF-8 text: remove "
                             "encoding = \"") +
                 encodingName(encoding_) + "\" (utf-8 is the default)";
        return false;
      }
      converter_name = encoding_ == Encoding::Windows1252 ? "windows-1252" : "ISO-8859-1";
      break;
    case Encoding::Utf16:
      if (head.starts_with("\xFF\xFE")) {
        converter_name = "UTF-16LE";
        raw_begin_ += 2;
      } else if (head.starts_with("\xFE\xFF")) {
        raw_begin_ += 2;
      } else if (head.size() >= 2 && head[0] != '\0' && head[1] == '\0') {
        converter_name = "UTF-16LE";
      }
      break;
    case Encoding::Utf8:
      error_ = "internal error: UTF-8 needs no decoder";
      return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  converter_ = ucnv_open(converter_name, &status);
  if (U_SUCCESS(status)) {
    // Stop at every sequence the encoding does not allow, so decodeMore() can mark it rather
    // than let ICU's default substitute pass for text.
    ucnv_setToUCallBack(converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  if (U_FAILURE(status)) {
    error_ = std::string("ICU cannot decode ") + converter_name + ": " + u_errorName(status);
    return false;
  }
  return true;
}

bool Utf8Decoder::fillRaw(std::size_t at_least) {
  if (raw_begin_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_begin_, raw_end_ - raw_begin_);
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  while (raw_end_ < at_least && !input_ended_) {
    const std::ptrdiff_t n = input_.read(raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (n < 0) {
      error_ = input_.error();
      return false;
    }
    if (n == 0) {
      input_ended_ = true;
    } else {
      raw_end_ += static_cast<std::size_t>(n);
    }
  }
  return true;
}

bool Utf8Decoder::decodeMore() {
  utf8_begin_ = utf8_end_ = 0;
  if (raw_begin_ == raw_end_ && !fillRaw(1)) {
    return false;
  }
  const char* source = raw_.data() + raw_begin_;
  char16_t* target = utf16_.data();
  UErrorCode status = U_ZERO_ERROR;
  // ICU keeps a sequence split across two pieces until the next call; `flush` at the end of
  // the input makes it report one left incomplete.
  ucnv_toUnicode(converter_, &target, utf16_.data() + utf16_.size(), &source,
                 raw_.data() + raw_end_, nullptr, input_ended_, &status);
  raw_begin_ = static_cast<std::size_t>(source - raw_.data());
  appendUtf8(utf16_.data(), target);

  if (status == U_ILLEGAL_CHAR_FOUND || status == U_INVALID_CHAR_FOUND ||
      status == U_TRUNCATED_CHAR_FOUND) {
    // The bad sequence is consumed; the next call goes on after it.
    utf8_[utf8_end_++] = kUndecodable;
    return true;
  }
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
    error_ = std::string("cannot decode it as ") + encodingName(encoding_) + ": " +
             u_errorName(status);
    return false;
  }
  if (status == U_ZERO_ERROR && input_ended_ && raw_begin_ == raw_end_) {
    if (high_surrogate_ != 0) {
      utf8_[utf8_end_++] = kUndecodable;
      high_surrogate_ = 0;
    }
    done_ = true;
  }
  return true;
}

// UTF-16 to UTF-8. ICU's output is well-formed, but a surrogate pair can be split across two
// calls, so the first half waits in high_surrogate_.
void Utf8Decoder::appendUtf8(const char16_t* begin, const char16_t* end) {
  char* out = utf8_.data() + utf8_end_;
  for (const char16_t* p = begin; p < end; ++p) {
    const char16_t u = *p;
    if (high_surrogate_ != 0) {
      const char16_t high = high_surrogate_;
      high_surrogate_ = 0;
      if (U16_IS_TRAIL(u)) {
        const auto c = static_cast<std::uint32_t>(U16_GET_SUPPLEMENTARY(high, u));
        *out++ = static_cast<char>(0xF0U | (c >> 18));
        *out++ = static_cast<char>(0x80U | ((c >> 12) & 0x3FU));
        *out++ = static_cast<char>(0x80U | ((c >> 6) & 0x3FU));
        *out++ = static_cast<char>(0x80U | (c & 0x3FU));
        continue;
      }
      *out++ = kUndecodable;
    }
    if (u < 0x80U) {
      *out++ = static_cast<char>(u);
    } else if (u < 0x800U) {
      *out++ = static_cast<char>(0xC0U | (u >> 6));
      *out++ = static_cast<char>(0x80U | (u & 0x3FU));
    } else if (U16_IS_LEAD(u)) {
      high_surrogate_ = u;
    } else if (U16_IS_TRAIL(u)) {
      *out++ = kUndecodable;
    } else {
      *out++ = static_cast<char>(0xE0U | (u >> 12));
      *out++ = static_cast<char>(0x80U | ((u >> 6) & 0x3FU));
      *out++ = static_cast<char>(0x80U | (u & 0x3FU));
    }
  }
  utf8_end_ = static_cast<std::size_t>(out - utf8_.data());
}

}  // namespace mobisync::plugins::csv
