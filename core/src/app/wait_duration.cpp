// SPDX-License-Identifier: Apache-2.0
#include "app/wait_duration.hpp"

#include <Poco/Util/OptionException.h>

namespace mobisync::app {

std::int64_t parseWaitDuration(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  std::int64_t scale = unit == "ms" ? 1 : unit == "s" || unit.empty() ? 1000
                                       : unit == "m"                    ? 60'000
                                       : unit == "h"                    ? 3'600'000
                                                                        : 0;
  // Nine digits of hours is already longer than anyone waits; more would overflow.
  if (digits == 0 || digits > 9 || scale == 0 || std::stoll(text.substr(0, digits)) == 0) {
    throw Poco::Util::InvalidArgumentException(
        "--wait-receipts needs a duration like 30s, 2m or 1h, not \"" + text.substr(0, 20) + "\"");
  }
  return std::stoll(text.substr(0, digits)) * scale;
}

}  // namespace mobisync::app
