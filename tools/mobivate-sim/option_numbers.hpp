// SPDX-License-Identifier: Apache-2.0
// Number parsing for the simulator's flags: a whole value in range, or a UsageError naming the
// flag.
#pragma once

#include <charconv>
#include <sstream>
#include <string>

#include "sim_options.hpp"

namespace mobisync::sim {

// Default stream formatting prints 1 as "1", not std::to_string's "1.000000".
template <class T>
std::string show(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

template <class T>
T parseNumber(const std::string& flag, const std::string& text, T min, T max) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw UsageError(flag + ": '" + text + "' is not a number");
  }
  // Written this way round so NaN, which compares false with everything, is refused too.
  if (!(value >= min && value <= max)) {
    throw UsageError(flag + ": " + text + " is out of range [" + show(min) + ", " + show(max) +
                     "]");
  }
  return value;
}

}  // namespace mobisync::sim
