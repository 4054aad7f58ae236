// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation for CSV cells, fast on the ASCII text most contact files hold.
#pragma once

#include <cstddef>
#include <string_view>

namespace mobisync::plugins::csv {

/// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
/// above U+10FFFF, no truncated sequences. Pure function; thread-safe.
bool isValidUtf8(std::string_view text) noexcept;

/// The offset of the first byte of the first sequence in `text` that is not well-formed UTF-8,
/// or npos when there is none. Pure function; thread-safe.
std::size_t invalidUtf8At(std::string_view text) noexcept;

}  // namespace mobisync::plugins::csv
