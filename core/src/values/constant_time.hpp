// SPDX-License-Identifier: Apache-2.0
// Comparing a secret with what a client sent, in a time that does not depend on where they differ.
#pragma once

#include <string_view>

namespace mobisync::values {

/// True when `given` equals `secret`. Every byte of `given` is looked at whatever the contents
/// (a mismatch at the first byte costs as much as one at the last), so the time reveals at
/// most the length of what was given, never how much of the secret it matched.
bool constantTimeEquals(std::string_view given, std::string_view secret);

}  // namespace mobisync::values
