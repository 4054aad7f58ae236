// SPDX-License-Identifier: Apache-2.0
// The worker loop of Applier::run: takes calls in turn and makes each with retry and backoff.
#include "remote/call_worker.hpp"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "metrics/catalog.hpp"
#include "provider_http/backoff.hpp"
#include "remote/proxy_client.hpp"
#include "remote/rate_limiter.hpp"
#include "remote/run_state.hpp"

namespace mobisync::remote {
namespace {

using SteadyClock = std::chrono::steady_clock;

Poco::Logger& logger() {
  static Poco::Logger& l = Poco::Logger::get("mobisync.remote");
  return l;
}

CallResult runOneCall(RunState& rs, const config::ProviderSettings& settings, ProxyClient& client,
                      provider_http::Backoff& backoff, RateLimiter& limiter, const ProviderCall& call,
                      std::size_t index, const std::string& provider) {
  CallResult r;
  const int max_attempts = std::max(settings.max_attempts, 1);
  std::string last_error;
  int resends = 0;
  for (int attempt = 1;; ++attempt) {
    // Retries take a token too: a throttled provider is exactly when the rate matters.
    const auto wait = limiter.reserve();
    if (wait > SteadyClock::duration::zero() && !rs.sleepFor(wait)) {
      r.status = Status::unavailable(attempt == 1 ? rs.stopReason()
                                                  : rs.stopReason() + " after " +
                                                        std::to_string(attempt - 1) +
                                                        " attempts: " + last_error);
      return r;
    }

    const std::size_t now_in_flight = rs.in_flight.fetch_add(1) + 1;
    std::size_t peak = rs.peak_in_flight.load(std::memory_order_relaxed);
    while (now_in_flight > peak &&
           !rs.peak_in_flight.compare_exchange_weak(peak, now_in_flight)) {
    }
    const auto sent = SteadyClock::now();
    Attempt a = client.call(call);
    rs.in_flight.fetch_sub(1);
    metrics::recordProviderAttempt(
        settings.job, call.kind == ProviderCall::Kind::Create ? "create" : "remove",
        a.outcome == Attempt::Outcome::Ok     ? "ok"
        : a.outcome == Attempt::Outcome::Drop ? "rejected"
                                              : "retry",
        std::chrono::duration<double>(SteadyClock::now() - sent).count());

    resends += a.resends;
    r.attempts = attempt + resends;
    r.http_status = a.http_status;
    rs.countTransport(a, provider);
    switch (a.outcome) {
      case Attempt::Outcome::Ok:
        r.status = Status::ok();
        r.tokens = std::move(a.tokens);
        return r;
      case Attempt::Outcome::Drop:
        if (!a.stop_run) {
          r.status = Status::rejected(std::move(a.message));
          return r;
        }
        // Not about this number: no later call can succeed either (credentials, a refused
        // certificate, something that is not the proxy API answering).
        if (a.auth_failed) {
          rs.auth_failed.store(true);
          r.status = Status::unavailable(std::move(a.message));
          rs.halt("not sent", "the provider refused the credentials");
        } else {
          rs.provider_failed.store(true);
          r.status = Status::unavailable(std::move(a.message));
          rs.halt("not sent", r.status.message());
        }
        return r;
      case Attempt::Outcome::Retry:
        break;
    }
    if (rs.stopping()) {
      // A halt (breaker, credentials) or the caller's stop came while this call was out.
      r.status = Status::unavailable(rs.stopReason() + " after " + std::to_string(attempt) +
                                     " attempts: " + a.message);
      return r;
    }
    if (attempt >= max_attempts) {
      r.status = Status::unavailable("gave up after " + std::to_string(attempt) +
                                     " attempts: " + a.message);
      return r;
    }
    const auto delay = backoff.next(attempt, a.retry_after);
    if (logger().debug()) {
      logger().debug("retry " + std::to_string(attempt + 1) + "/" +
                     std::to_string(max_attempts) + " of call " + std::to_string(index) +
                     " (" + client.describe(call) + ") in " + std::to_string(delay.count()) +
                     " ms" +
                     (a.retry_after ? " (Retry-After " + std::to_string(a.retry_after->count()) +
                                          " ms)"
                                    : std::string()) +
                     ": " + a.message);
    }
    last_error = std::move(a.message);
    if (!rs.sleepFor(delay)) {
      r.status = Status::unavailable(rs.stopReason() + " after " + std::to_string(attempt) +
                                     " attempts: " + last_error);
      return r;
    }
  }
}

}  // namespace

void workerLoop(RunState& rs, const config::ProviderSettings& settings, ProxyClient& client,
                RateLimiter& limiter, std::uint64_t seed, const std::string& provider) {
  provider_http::Backoff backoff(settings.backoff_initial, settings.backoff_max, seed);
  for (;;) {
    const std::size_t i = rs.next.fetch_add(1);
    if (i >= rs.calls.size()) {
      return;
    }
    if (rs.stopping()) {
      CallResult r;
      r.status = Status::unavailable(rs.stopReason());
      rs.publish(i, std::move(r));
      continue;
    }
    rs.publish(i, runOneCall(rs, settings, client, backoff, limiter, rs.calls[i], i, provider));
  }
}

}  // namespace mobisync::remote
