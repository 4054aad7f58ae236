// SPDX-License-Identifier: Apache-2.0
// ByteSource: where a RecordReader's bytes come from (a file as is, or a decoder over one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mobisync::plugins::csv {

/// A stream of bytes read in large pieces. Not thread-safe.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes into `out`: how many, 0 at the end of the input, or -1 when the
  /// read failed (error() says why). May return fewer bytes than asked before the end.
  virtual std::ptrdiff_t read(char* out, std::size_t size) = 0;
  virtual const std::string& error() const = 0;
};

/// An open file descriptor read as it is. Does not own the descriptor. Counts the bytes it
/// yields, so a reader can tell whether it read as many as the file held.
class FdBytes final : public ByteSource {
 public:
  explicit FdBytes(int fd) : fd_(fd) {}

  std::ptrdiff_t read(char* out, std::size_t size) override;
  const std::string& error() const override { return error_; }
  std::uint64_t count() const { return count_; }

 private:
  int fd_;
  std::uint64_t count_ = 0;
  std::string error_;
};

}  // namespace mobisync::plugins::csv
