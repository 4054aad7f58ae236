// SPDX-License-Identifier: Apache-2.0
// RunDeadline: one stop flag for a run that rises on the caller's stop or at max_run_seconds.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mobisync::sync {

/// Watches the caller's stop flag (which may be null) and, when `limit` is positive, the run's
/// deadline. stopFlag() rises when either does; expired() tells which. A run hands stopFlag()
/// to everything that polls a stop (the applier), so max_run_seconds stops it the way SIGTERM
/// does: calls in flight finish and are recorded, no new ones start. Without a limit no thread
/// is started and stopFlag() is the caller's flag itself.
class RunDeadline {
 public:
  RunDeadline(const std::atomic<bool>* outer_stop, std::chrono::milliseconds limit);
  ~RunDeadline();
  RunDeadline(const RunDeadline&) = delete;
  RunDeadline& operator=(const RunDeadline&) = delete;

  /// The flag to poll; null when there is neither a caller's flag nor a limit.
  const std::atomic<bool>* stopFlag() const;
  /// Whether the deadline has passed (whether or not anything noticed yet).
  bool expired() const;
  std::chrono::milliseconds limit() const { return limit_; }

 private:
  void watch();

  const std::atomic<bool>* outer_stop_;
  std::chrono::milliseconds limit_;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mutex_
  std::thread watcher_;
};

}  // namespace mobisync::sync
