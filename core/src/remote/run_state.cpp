// SPDX-License-Identifier: Apache-2.0
// RunState: what the workers of one Applier::run and its calling thread share, with the circuit
// breaker that stops a run against a provider that gives no answer.
#include "remote/run_state.hpp"

#include <algorithm>
#include <utility>

namespace mobisync::remote {
namespace {

// How often a sleeping worker looks at the caller's stop flag, which nobody notifies: short
// enough that SIGTERM feels immediate, long enough to cost nothing.
constexpr std::chrono::milliseconds kStopPollInterval{50};

}  // namespace

bool RunState::stopping() const {
  return halted_.load(std::memory_order_relaxed) ||
         (stop_ != nullptr && stop_->load(std::memory_order_relaxed));
}

void RunState::halt(const std::string& label, const std::string& reason) {
  {
    std::lock_guard lock(halt_mutex_);
    if (halt_reason_.empty()) {
      halt_label_ = label;
      halt_reason_ = reason;
    }
  }
  halted_.store(true);
  std::lock_guard lock(sleep_mutex_);
  sleep_cv_.notify_all();
}

std::string RunState::haltReason() {
  std::lock_guard lock(halt_mutex_);
  return halt_reason_;
}

std::string RunState::stopReason() {
  if (halted_.load()) {
    std::lock_guard lock(halt_mutex_);
    return halt_label_ + ": " + halt_reason_;
  }
  return "stopped";
}

void RunState::countTransport(const Attempt& a, const std::string& provider) {
  if (a.outcome != Attempt::Outcome::Retry || a.http_status != 0) {
    transport_failures_.store(0);
    return;
  }
  {
    std::lock_guard lock(last_error_mutex_);
    last_transport_error_ = a.message;
  }
  if (transport_failures_.fetch_add(1) + 1 == kBreakerFailures) {
    breaker_tripped.store(true);
    provider_failed.store(true);
    std::string last;
    {
      std::lock_guard lock(last_error_mutex_);
      last = last_transport_error_;
    }
    halt("not sent", "the provider at " + provider + " gave no answer to " +
                         std::to_string(kBreakerFailures) + " calls in a row; last error: " + last);
  }
}

bool RunState::sleepFor(SteadyClock::duration d) {
  const auto deadline = SteadyClock::now() + d;
  std::unique_lock lock(sleep_mutex_);
  for (;;) {
    if (stopping()) {
      return false;
    }
    const auto now = SteadyClock::now();
    if (now >= deadline) {
      return true;
    }
    sleep_cv_.wait_for(lock, std::min<SteadyClock::duration>(deadline - now, kStopPollInterval));
  }
}

void RunState::publish(std::size_t index, CallResult&& result) {
  bool wake = false;
  {
    std::lock_guard lock(queue_mutex_);
    ready_.push_back(Completed{index, std::move(result)});
    wake = consumer_waiting_;
    consumer_waiting_ = false;
  }
  // Only the first result after the consumer went to sleep wakes it; the others ride along.
  if (wake) {
    queue_cv_.notify_one();
  }
}

void RunState::take(std::vector<Completed>& batch) {
  std::unique_lock lock(queue_mutex_);
  while (ready_.empty()) {
    consumer_waiting_ = true;
    queue_cv_.wait(lock);
  }
  consumer_waiting_ = false;
  batch.swap(ready_);
}

}  // namespace mobisync::remote
