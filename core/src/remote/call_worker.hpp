// SPDX-License-Identifier: Apache-2.0
// The worker loop of Applier::run: takes calls in turn and makes each with retry and backoff.
#pragma once

#include <cstdint>
#include <string>

#include "config/provider_settings.hpp"

namespace mobisync::remote {

class ProxyClient;
class RateLimiter;
class RunState;

/// One worker's whole life: takes the next call of `rs` until none is left, makes it with up to
/// settings.max_attempts attempts on `client` (backoff seeded by `seed`, `limiter` before each
/// attempt, the breaker fed), and publishes each result. Calls taken after a stop or a halt are
/// published as Unavailable without an attempt. `provider` names the origin in the breaker's
/// reason. Never throws for a call's failure.
void workerLoop(RunState& rs, const config::ProviderSettings& settings, ProxyClient& client,
                RateLimiter& limiter, std::uint64_t seed, const std::string& provider);

}  // namespace mobisync::remote
