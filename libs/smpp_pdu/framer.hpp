// SPDX-License-Identifier: Apache-2.0
// Framer: splits a TCP byte stream into whole PDUs by their command_length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "smpp_pdu/constants.hpp"

namespace mobisync::smpp {

/// Accumulates bytes as they arrive and yields one complete frame at a time. A command_length
/// below 16 or above `max_length` makes the stream unusable (there is no way to find the next
/// PDU), so the framer turns Broken and stays so; the session then disconnects.
/// Not thread-safe: one reader thread owns it.
class Framer {
 public:
  enum class State { NeedMore, Frame, Broken };

  explicit Framer(std::size_t max_length = limit::kMaxCommandLength) : max_(max_length) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }

  /// Frame: `frame` holds the whole PDU (header included) and it is consumed from the buffer.
  /// NeedMore: wait for more bytes. Broken: `problem` says why (e.g. "command_length 8 ...").
  State next(std::string& frame);

  const std::string& problem() const { return problem_; }
  /// Octets received but not yet yielded as a frame.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::size_t max_;
  std::string buffer_;
  std::size_t start_ = 0;
  bool broken_ = false;
  std::string problem_;
};

}  // namespace mobisync::smpp
