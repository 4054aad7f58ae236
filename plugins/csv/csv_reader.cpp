// SPDX-License-Identifier: Apache-2.0
// RecordReader: a streaming RFC 4180 record reader over a file or a memory buffer.
#include "csv_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

namespace mobisync::plugins::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The first delimiter or '\n' in [p, end), or end. Bare fields are most of a contact file, so
// this tests eight bytes per step (a zero-byte test on word ^ pattern, from "Bit Twiddling
// Hacks"); the lowest flagged byte is always a true match, so counting trailing zeros finds it.
const char* findFieldEnd(const char* p, const char* const end, char delimiter) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const std::uint64_t delimiters = kOnes * static_cast<unsigned char>(delimiter);
    const std::uint64_t newlines = kOnes * static_cast<unsigned char>('\n');
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      const std::uint64_t a = word ^ delimiters;
      const std::uint64_t b = word ^ newlines;
      const std::uint64_t hits = ((a - kOnes) & ~a & kHigh) | ((b - kOnes) & ~b & kHigh);
      if (hits != 0) {
        return p + std::countr_zero(hits) / 8;
      }
      p += 8;
    }
  }
  while (p < end && *p != delimiter && *p != '\n') {
    ++p;
  }
  return p;
}

}  // namespace

RecordReader::RecordReader(Dialect dialect, ReaderLimits limits)
    : dialect_(dialect), limits_(limits) {
  limits_.chunk_size = std::max<std::size_t>(limits_.chunk_size, 1);
  limits_.max_record_bytes = std::max(limits_.max_record_bytes, limits_.chunk_size);
}

RecordReader::~RecordReader() { close(); }

void RecordReader::close() noexcept {
  source_ = nullptr;
  own_source_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void RecordReader::open(ByteSource& source) {
  close();
  source_ = &source;
  buf_.assign(limits_.chunk_size, '\0');
  begin_ = end_ = 0;
  eof_ = false;
  at_start_ = true;
  line_ = 1;
}

bool RecordReader::open(const std::string& path) {
  close();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error_ = std::strerror(errno);
    return false;
  }
  auto source = std::make_unique<FdBytes>(fd);
  open(*source);
  fd_ = fd;
  own_source_ = std::move(source);
  return true;
}

void RecordReader::openBuffer(std::string_view text) {
  close();
  buf_.assign(text.begin(), text.end());
  begin_ = 0;
  end_ = buf_.size();
  eof_ = true;
  at_start_ = true;
  line_ = 1;
}

RecordReader::Next RecordReader::next() {
  if (at_start_) {
    while (end_ - begin_ < kBom.size() && !eof_) {
      if (!refill()) {
        return Next::IoError;
      }
    }
    if (std::string_view(buf_.data() + begin_, end_ - begin_).starts_with(kBom)) {
      begin_ += kBom.size();
    }
    at_start_ = false;
  }

  for (;;) {
    if (begin_ == end_) {
      if (eof_) {
        return Next::End;
      }
      if (!refill()) {
        return Next::IoError;
      }
      continue;
    }
    switch (parseRecord()) {
      case Parse::Done: {
        const std::size_t start = begin_;
        const std::uint64_t start_line = line_;
        begin_ = record_end_;
        line_ += record_lines_;
        if (raw_end_ == start) {
          continue;  // a blank line
        }
        record_.fields = fields_;
        record_.raw = std::string_view(buf_.data() + start, raw_end_ - start);
        record_.line = start_line;
        record_.ended = record_ended_;
        return Next::Record;
      }
      case Parse::NeedMore: {
        if (end_ - begin_ >= limits_.max_record_bytes) {
          record_ = Record{{}, {}, line_, false};
          return Next::TooLong;
        }
        if (!refill()) {
          return Next::IoError;
        }
        continue;
      }
      case Parse::Unterminated: {
        std::string_view rest(buf_.data() + begin_, end_ - begin_);
        if (rest.ends_with('\n')) {
          rest.remove_suffix(rest.ends_with("\r\n") ? 2 : 1);
        }
        record_.fields = fields_;
        record_.raw = rest;
        record_.line = line_;
        record_.ended = false;
        begin_ = end_;
        return Next::Unterminated;
      }
    }
  }
}

bool RecordReader::refill() {
  // Move the unfinished record to the front so it stays contiguous: fields are views into buf_.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    buf_.resize(std::min(buf_.size() * 2, limits_.max_record_bytes + limits_.chunk_size));
  }
  const std::ptrdiff_t n = source_->read(buf_.data() + end_, buf_.size() - end_);
  if (n < 0) {
    error_ = source_->error();
    return false;
  }
  if (n == 0) {
    eof_ = true;
  } else {
    end_ += static_cast<std::size_t>(n);
  }
  return true;
}

// Parses one record starting at begin_. Restarted from scratch after a refill, so no state
// survives between calls; only the record straddling each chunk boundary is scanned twice.
RecordReader::Parse RecordReader::parseRecord() {
  fields_.clear();
  unescaped_used_ = 0;
  record_lines_ = 0;

  const char* const base = buf_.data();
  const std::size_t end = end_;
  const char delimiter = dialect_.delimiter;
  const char quote = dialect_.quote;
  std::size_t p = begin_;

  // A '\r' that ends a field is part of a CRLF only when a '\n' (or the end of input) follows.
  const auto strip_cr = [&](std::size_t from, std::size_t to) {
    if (to > from && base[to - 1] == '\r' && (to == end || base[to] == '\n')) {
      --to;
    }
    return to;
  };

  for (;;) {
    if (dialect_.has_quote && p < end && base[p] == quote) {
      const std::size_t content_begin = p + 1;
      std::size_t scan = content_begin;
      std::size_t close = 0;
      bool doubled = false;
      for (;;) {
        const void* hit = std::memchr(base + scan, quote, end - scan);
        if (hit == nullptr) {
          return eof_ ? Parse::Unterminated : Parse::NeedMore;
        }
        close = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
        if (close + 1 == end && !eof_) {
          return Parse::NeedMore;  // a doubled quote or the closing one: the next byte decides
        }
        if (close + 1 < end && base[close + 1] == quote) {
          doubled = true;
          scan = close + 2;
          continue;
        }
        break;
      }
      record_lines_ += static_cast<std::uint64_t>(
          std::count(base + content_begin, base + close, '\n'));

      p = close + 1;
      const std::size_t tail_begin = p;
      p = static_cast<std::size_t>(findFieldEnd(base + p, base + end, delimiter) - base);
      if (p == end && !eof_) {
        return Parse::NeedMore;
      }
      const std::size_t tail_end = strip_cr(tail_begin, p);

      if (!doubled && tail_end == tail_begin) {
        fields_.emplace_back(base + content_begin, close - content_begin);
      } else {
        std::string& value = unescaped_used_ < unescaped_.size()
                                 ? unescaped_[unescaped_used_]
                                 : unescaped_.emplace_back();
        ++unescaped_used_;
        value.clear();
        std::string_view content(base + content_begin, close - content_begin);
        while (!content.empty()) {
          const std::size_t q = content.find(quote);
          if (q == std::string_view::npos) {
            value.append(content);
            break;
          }
          value.append(content.substr(0, q + 1));  // keep one of the two quotes
          content.remove_prefix(q + 2);
        }
        value.append(base + tail_begin, tail_end - tail_begin);
        fields_.emplace_back(value);
      }
    } else {
      const std::size_t field_begin = p;
      p = static_cast<std::size_t>(findFieldEnd(base + p, base + end, delimiter) - base);
      if (p == end && !eof_) {
        return Parse::NeedMore;
      }
      fields_.emplace_back(base + field_begin, strip_cr(field_begin, p) - field_begin);
    }

    if (p < end && base[p] == delimiter) {
      ++p;
      continue;
    }
    raw_end_ = strip_cr(begin_, p);
    record_ended_ = p < end;
    if (record_ended_) {
      record_end_ = p + 1;  // past the '\n'
      ++record_lines_;
    } else {
      record_end_ = p;
    }
    return Parse::Done;
  }
}

}  // namespace mobisync::plugins::csv
