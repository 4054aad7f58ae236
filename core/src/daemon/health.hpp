// SPDX-License-Identifier: Apache-2.0
// The daemon's /healthz (liveness: its loop answers) and /readyz (readiness: the state answers
// and no job is overdue).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "state/state_session.hpp"

namespace mobisync::daemon {

/// The daemon's loop beats at least every kBeat; /healthz fails once it missed several.
class Heartbeat {
 public:
  static constexpr std::chrono::seconds kBeat{5};
  static constexpr std::chrono::seconds kDeadAfter{30};

  Heartbeat() { beat(); }
  void beat();
  /// Empty while the loop beat within kDeadAfter, else why not.
  std::string problem() const;

 private:
  std::atomic<std::int64_t> last_ms_{0};
};

/// Checks every kEvery, on a thread of its own, that the state answers a query, so a
/// readiness request never waits on a database (PostgreSQL may take its connect timeout).
class StateProbe {
 public:
  static constexpr std::chrono::seconds kEvery{10};

  StateProbe();
  ~StateProbe();
  StateProbe(const StateProbe&) = delete;
  StateProbe& operator=(const StateProbe&) = delete;

  /// Probes `where` from now on (at start and after a reload), once at once.
  void watch(state::StateLocation where);
  /// Empty while the last probe answered, else why not (never a password).
  std::string problem() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<state::StateLocation> where_;
  std::string problem_ = "state not checked yet";
  bool stop_ = false;
  bool due_ = false;
  std::thread thread_;
};

}  // namespace mobisync::daemon
