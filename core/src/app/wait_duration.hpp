// SPDX-License-Identifier: Apache-2.0
// parseWaitDuration(): "30s", "2m", "1h", "500ms" (or bare seconds) for --wait-receipts.
#pragma once

#include <cstdint>
#include <string>

namespace mobisync::app {

/// Milliseconds; throws Poco::Util::InvalidArgumentException naming the option when `text` is
/// not a positive number with an optional unit (ms, s, m, h).
std::int64_t parseWaitDuration(const std::string& text);

}  // namespace mobisync::app
