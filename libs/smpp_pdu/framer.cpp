// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/framer.hpp"

#include <cstdint>

namespace mobisync::smpp {

Framer::State Framer::next(std::string& frame) {
  if (broken_) return State::Broken;
  // Drop consumed octets now and then instead of after every frame (quadratic on a busy link).
  if (start_ > 0 && (start_ >= 64 * 1024 || start_ == buffer_.size())) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  if (buffer_.size() - start_ < 4) return State::NeedMore;
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    length = (length << 8) | static_cast<unsigned char>(buffer_[start_ + i]);
  }
  if (length < limit::kHeaderLength || length > max_) {
    broken_ = true;
    problem_ = "header.command_length: " + std::to_string(length) + ", must be 16.." +
               std::to_string(max_);
    return State::Broken;
  }
  if (buffer_.size() - start_ < length) return State::NeedMore;
  frame.assign(buffer_, start_, length);
  start_ += length;
  return State::Frame;
}

}  // namespace mobisync::smpp
