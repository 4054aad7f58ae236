// SPDX-License-Identifier: Apache-2.0
// The metrics listener's HTTP answers: a request head in, a whole HTTP/1.1 response out.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "metrics/http_request.hpp"
#include "metrics/registry.hpp"

namespace mobisync::metrics {

/// The response to a GET or HEAD request: /metrics is `registry`'s exposition followed by the
/// process metrics; /healthz (liveness) and /readyz (readiness) are 200 "ok" or 503 with what
/// `health` or `ready` returns when that is not empty (without `ready`, /readyz follows
/// `health`); any other path 404, another method 405. Every response has a Content-Length and
/// "Connection: close": the listener serves one request per connection.
std::string httpResponse(const RequestHead& request, const Registry& registry,
                         const std::function<std::string()>& health,
                         const std::function<std::string()>& ready = {});

/// A whole response with `status` (its reason phrase chosen here), `content_type` and `body`.
std::string httpReply(int status, std::string_view content_type, std::string_view body);

/// A plain-text error response with `status` and `reason`.
std::string httpError(int status, std::string_view reason, std::string_view body);

}  // namespace mobisync::metrics
