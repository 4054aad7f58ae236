// SPDX-License-Identifier: Apache-2.0
// RunDeadline: a watcher thread that raises one flag on the caller's stop or at the deadline.
#include "sync/run_deadline.hpp"

namespace mobisync::sync {

namespace {
// The caller's flag is polled (nobody notifies it); 50 ms is what the applier's sleepers use.
constexpr std::chrono::milliseconds kPoll{50};
}  // namespace

RunDeadline::RunDeadline(const std::atomic<bool>* outer_stop, std::chrono::milliseconds limit)
    : outer_stop_(outer_stop), limit_(limit),
      deadline_(std::chrono::steady_clock::now() + limit) {
  if (limit_.count() > 0) watcher_ = std::thread([this] { watch(); });
}

RunDeadline::~RunDeadline() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

const std::atomic<bool>* RunDeadline::stopFlag() const {
  return limit_.count() > 0 ? &stop_ : outer_stop_;
}

bool RunDeadline::expired() const {
  return limit_.count() > 0 && std::chrono::steady_clock::now() >= deadline_;
}

void RunDeadline::watch() {
  std::unique_lock lock(mutex_);
  while (!done_) {
    if (std::chrono::steady_clock::now() >= deadline_ ||
        (outer_stop_ != nullptr && outer_stop_->load())) {
      stop_.store(true);
      return;
    }
    cv_.wait_for(lock, kPoll);
  }
}

}  // namespace mobisync::sync
