// SPDX-License-Identifier: Apache-2.0
// The metrics listener's HTTP answers: a request head in, a whole HTTP/1.1 response out.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "metrics/registry.hpp"

namespace mobisync::metrics {

/// The response to one request head (request line and headers, without the blank line):
/// GET or HEAD /metrics is `registry`'s exposition, /healthz is 200 "ok" or 503 with what
/// `health` returns when that is not empty; anything else 404, 405 or 400. Every response has a
/// Content-Length and "Connection: close": the listener serves one request per connection.
std::string httpResponse(std::string_view head, const Registry& registry,
                         const std::function<std::string()>& health);

/// A plain-text error response with `status` and `reason`.
std::string httpError(int status, std::string_view reason, std::string_view body);

}  // namespace mobisync::metrics
