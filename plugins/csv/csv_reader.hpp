// SPDX-License-Identifier: Apache-2.0
// RecordReader: a streaming RFC 4180 record reader over a file or a memory buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"

namespace mobisync::plugins::csv {

/// How a file spells its records. Both characters are single bytes; `has_quote` false turns
/// quoting off (every quote byte is then ordinary text).
struct Dialect {
  char delimiter = ',';
  char quote = '"';
  bool has_quote = true;
};

/// Sizes that bound the reader's memory. Tests shrink them to put records across boundaries.
struct ReaderLimits {
  /// Bytes asked of the file per read; the buffer starts at this size.
  std::size_t chunk_size = std::size_t{1} << 20;
  /// A record longer than this stops the read (TooLong) rather than growing the buffer without
  /// bound: a stray quote would otherwise pull the rest of a huge file into memory.
  std::size_t max_record_bytes = std::size_t{64} << 20;
};

/// One record. Views stay valid until the next call to RecordReader::next().
struct Record {
  /// Field values: unquoted, doubled quotes collapsed. Empty fields are empty views.
  std::span<const std::string_view> fields;
  /// The record as written, without its line ending (for reject files).
  std::string_view raw;
  /// 1-based physical line where the record starts; newlines inside quotes count.
  std::uint64_t line = 0;
  /// False when the input ended right after the record, without a line ending: a file cut
  /// (or still being written) mid-line looks like that.
  bool ended = true;
};

/// Reads records one at a time with a few large reads, never the whole input. Blank lines are
/// skipped; a UTF-8 byte order mark at the very start is dropped. CRLF and LF both end a record;
/// inside quotes they are data. Characters after a closing quote and before the next delimiter
/// are kept as text (as Python's csv module does) rather than failing the record.
/// Owns its buffer (and the file open() opens); not thread-safe; not copyable.
class RecordReader {
 public:
  /// What next() found.
  enum class Next {
    Record,        ///< record() holds the next record
    End,           ///< the input ended cleanly after the last record
    Unterminated,  ///< the input ended inside a quoted field; record() holds the rest of it
    TooLong,       ///< a record exceeds ReaderLimits::max_record_bytes; record().line says where
    IoError,       ///< a read failed; error() says why
  };

  explicit RecordReader(Dialect dialect, ReaderLimits limits = {});
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  /// Reads from `source`, which must outlive the reading.
  void open(ByteSource& source);
  /// Opens `path` and reads it as is. On failure returns false and error() holds
  /// strerror(errno).
  bool open(const std::string& path);
  /// Reads from `text` instead of a file (unit tests, fuzzing). The text is copied.
  void openBuffer(std::string_view text);

  /// Advances to the next record. After End, Unterminated, TooLong or IoError, stop calling.
  Next next();
  const Record& record() const { return record_; }
  const std::string& error() const { return error_; }

 private:
  enum class Parse { Done, NeedMore, Unterminated };

  Parse parseRecord();
  bool refill();
  void close() noexcept;

  Dialect dialect_;
  ReaderLimits limits_;
  int fd_ = -1;  // only when open(path) opened it
  std::unique_ptr<FdBytes> own_source_;
  ByteSource* source_ = nullptr;
  bool eof_ = false;
  bool at_start_ = true;

  std::vector<char> buf_;
  std::size_t begin_ = 0;  // first byte of the record being parsed
  std::size_t end_ = 0;    // one past the last byte read
  std::uint64_t line_ = 1;

  // Per-record scratch, reused so steady-state reading allocates nothing. The deque keeps
  // unescaped values at stable addresses while later fields are appended.
  std::vector<std::string_view> fields_;
  std::deque<std::string> unescaped_;
  std::size_t unescaped_used_ = 0;
  std::size_t record_end_ = 0;    // offset of the first byte after the record's line ending
  std::size_t raw_end_ = 0;       // offset one past the record's last byte before its line ending
  std::uint64_t record_lines_ = 0;  // line endings consumed by the record, inside quotes or not
  bool record_ended_ = true;        // a line ending, not the end of input, closed the record

  Record record_;
  std::string error_;
};

}  // namespace mobisync::plugins::csv
