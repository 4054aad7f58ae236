// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation for CSV cells, fast on the ASCII text most contact files hold.
#pragma once

#include <string_view>

namespace mobisync::plugins::csv {

/// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
/// above U+10FFFF, no truncated sequences. Pure function; thread-safe.
bool isValidUtf8(std::string_view text) noexcept;

}  // namespace mobisync::plugins::csv
