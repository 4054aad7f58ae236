// SPDX-License-Identifier: Apache-2.0
// Fault decisions for simulated calls: latency first, then an error or a throttle, or nothing.
#include "fault_injector.hpp"

#include <algorithm>
#include <thread>

namespace mobisync::sim {

std::string_view faultName(Fault fault) {
  switch (fault) {
    case Fault::Error:
      return "error";
    case Fault::TooManyRequests:
      return "429";
    case Fault::Reset:
      return "reset";
    case Fault::Stall:
      return "stall";
    case Fault::Truncate:
      return "truncate";
    case Fault::Trickle:
      return "trickle";
    case Fault::StallBody:
      return "stall_body";
    case Fault::Unauthorized:
      return "unauthorized";
    case Fault::Refused:
      return "refused";
    case Fault::None:
      break;
  }
  return "none";
}

FaultInjector::FaultInjector(const FaultSettings& settings, unsigned seed)
    : settings_(settings),
      random_(seed),
      network_random_(seed ^ 0x9E3779B9U),
      body_random_(seed ^ 0x7F4A7C15U) {}

FaultSettings FaultInjector::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

void FaultInjector::update(const FaultSettings& settings) {
  std::lock_guard lock(mutex_);
  settings_ = settings;
}

FaultDecision FaultInjector::inject(std::chrono::steady_clock::time_point arrival) {
  int latency_ms = settings().latency_ms;
  if (latency_ms > 0) {
    // Counting from arrival keeps the observed latency at the configured value rather than
    // configured + parsing time, which matters when a benchmark is bounded by it.
    sleepUntil(arrival + std::chrono::milliseconds(latency_ms));
  }
  FaultDecision decision;
  int stall_ms = 0;
  {
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Every draw happens on every call, so changing one rate does not shift another's sequence.
    double error_draw = unit(random_);
    double throttle_draw = unit(random_);
    double reset_draw = unit(network_random_);
    double stall_draw = unit(network_random_);
    double truncate_draw = unit(network_random_);
    double trickle_draw = unit(body_random_);
    double stall_body_draw = unit(body_random_);
    decision.retry_after_s = settings_.retry_after_s;
    decision.trickle_ms = settings_.trickle_ms;
    decision.stall_body_ms = settings_.stall_body_ms;
    decision.unauthorized = settings_.unauthorized;
    decision.stalled = settings_.stall_ms > 0 && stall_draw < settings_.stall_rate;
    stall_ms = settings_.stall_ms;
    if (reset_draw < settings_.reset_rate) {
      decision.fault = Fault::Reset;
      decision.stalled = false;  // nothing is answered, so there is nothing to hold
    } else if (error_draw < settings_.error_rate) {
      decision.fault = Fault::Error;
    } else if (throttle_draw < settings_.rate_429) {
      decision.fault = Fault::TooManyRequests;
    } else if (truncate_draw < settings_.truncate_rate) {
      decision.fault = Fault::Truncate;
    } else if (stall_body_draw < settings_.stall_body_rate) {
      decision.fault = Fault::StallBody;
    } else if (trickle_draw < settings_.trickle_rate) {
      decision.fault = Fault::Trickle;
    } else if (settings_.unauthorized) {
      decision.fault = Fault::Unauthorized;
    } else if (decision.stalled) {
      decision.fault = Fault::Stall;
    }
  }
  if (decision.stalled) {
    std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
  }
  return decision;
}

void FaultInjector::sleepUntil(std::chrono::steady_clock::time_point deadline) {
  using std::chrono::nanoseconds;
  // A sleeping thread wakes late by the scheduler's wake-up delay (about 0.1 ms on a busy VM),
  // which would make --latency-ms 5 behave like 5.1 ms and skew anything measured against it.
  // Aiming early by the recently observed delay makes the mean latency the configured one.
  constexpr std::int64_t kMaxCorrectionNs = 1'000'000;
  std::int64_t correction = wake_delay_ns_.load(std::memory_order_relaxed);
  auto target = deadline - nanoseconds(correction);
  std::this_thread::sleep_until(target);
  std::int64_t late = (std::chrono::steady_clock::now() - target) / nanoseconds(1);
  // A racy read-modify-write is fine: this is a smoothed estimate, not a counter.
  std::int64_t updated = correction + (late - correction) / 16;
  wake_delay_ns_.store(std::clamp<std::int64_t>(updated, 0, kMaxCorrectionNs),
                       std::memory_order_relaxed);
}

}  // namespace mobisync::sim
