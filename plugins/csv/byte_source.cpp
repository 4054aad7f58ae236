// SPDX-License-Identifier: Apache-2.0
// ByteSource: where a RecordReader's bytes come from (a file as is, or a decoder over one).
#include "byte_source.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mobisync::plugins::csv {

std::ptrdiff_t FdBytes::read(char* out, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, out, size);
    if (n >= 0) {
      count_ += static_cast<std::uint64_t>(n);
      return n;
    }
    if (errno != EINTR) {
      error_ = std::strerror(errno);
      return -1;
    }
  }
}

}  // namespace mobisync::plugins::csv
