// SPDX-License-Identifier: Apache-2.0
// Fault decisions for simulated calls: latency first, then an error or a throttle, or nothing.
#include "fault_injector.hpp"

#include <thread>

namespace mobisync::sim {

std::string_view faultName(Fault fault) {
  switch (fault) {
    case Fault::Error:
      return "error";
    case Fault::TooManyRequests:
      return "429";
    case Fault::None:
      break;
  }
  return "none";
}

FaultInjector::FaultInjector(const FaultSettings& settings, unsigned seed)
    : settings_(settings), random_(seed) {}

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
    std::this_thread::sleep_until(arrival + std::chrono::milliseconds(latency_ms));
  }
  std::lock_guard lock(mutex_);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Both draws happen on every call, so changing one rate does not shift the other's sequence.
  double error_draw = unit(random_);
  double throttle_draw = unit(random_);
  FaultDecision decision;
  decision.retry_after_s = settings_.retry_after_s;
  if (error_draw < settings_.error_rate) {
    decision.fault = Fault::Error;
  } else if (throttle_draw < settings_.rate_429) {
    decision.fault = Fault::TooManyRequests;
  }
  return decision;
}

}  // namespace mobisync::sim
