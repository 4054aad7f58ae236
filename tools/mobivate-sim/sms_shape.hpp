// SPDX-License-Identifier: Apache-2.0
// How many SMS parts a text takes and in which coding, as the provider bills it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mobisync::sim {

/// The coding ("GSM-7" or "UCS-2") and part count of one message text. Plain value.
struct SmsShape {
  std::string coding;
  std::size_t parts = 0;
};

/// Measures a UTF-8 text; nullopt when it is not valid UTF-8.
std::optional<SmsShape> measureSms(std::string_view utf8);

}  // namespace mobisync::sim
