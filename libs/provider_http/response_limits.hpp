// SPDX-License-Identifier: Apache-2.0
// How large an answer of each provider API may be before it is taken for something else.
#pragma once

#include <cstddef>

namespace mobisync::provider_http {

/// The contacts proxy API answers a few hundred bytes; anything far larger is not it talking.
inline constexpr std::size_t kMaxProxyApiBody = std::size_t{1} << 20;

/// The SMS APIs answer at most a campaign of a few thousand recipients.
inline constexpr std::size_t kMaxSmsApiBody = std::size_t{16} << 20;

}  // namespace mobisync::provider_http
