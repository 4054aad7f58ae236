// SPDX-License-Identifier: Apache-2.0
// Refusal: the provider going down. After N proxy calls the API port is closed, so new
// connections are refused and open ones are cut, until a resume through the control port.
#pragma once

#include <functional>
#include <mutex>

namespace mobisync::sim {

/// What refusal means for one proxy call that arrives.
enum class Admission {
  Serve,             // answer it
  ServeThenRefuse,   // answer it: it is the Nth; then close the port
  Refuse,            // drop it unanswered and unprocessed: the port is closing
};

/// What Refusal does to the API port.
struct PortSwitch {
  std::function<void()> stop_accepting;  // new connections refused from now on, at once
  std::function<void()> close;           // that, and every open connection cut
  std::function<void()> open;            // accepting again on the same address
};

/// Counts proxy calls against a refuse-after limit and closes and reopens the API port through
/// the switch it is given. Thread-safe.
class Refusal {
 public:
  explicit Refusal(PortSwitch port);

  /// Refuse after `calls` more proxy calls (counted from now); 0 disarms. Does not reopen a
  /// closed port (resume() does).
  void armAfter(int calls);

  /// The calls left before the port closes; 0 when disarmed.
  int callsLeft() const;

  /// True while the port is closed.
  bool refusing() const;

  /// Called when a proxy call arrives, before anything else is done with it. For the Nth call it
  /// stops accepting at once, so that no connection opened after its answer can be served; the
  /// caller answers it and then calls refuseNow().
  Admission admit();

  /// Refuses new connections at once (open ones go on until refuseNow()) and disarms the
  /// counter: lets a caller answer on its own connection before the port closes.
  void stopAccepting();

  /// Closes the port (if open) after admit() said ServeThenRefuse or Refuse, or after
  /// stopAccepting(); a no-op when a resume() came in between.
  void refuseNow();

  /// Reopens the port (if closed) on the same address and disarms the counter.
  void resume();

 private:
  PortSwitch port_;
  mutable std::mutex mutex_;
  std::mutex port_mutex_;  // serialises close and reopen, which take a while
  int left_ = 0;           // calls still served before refusing; 0: not armed
  bool refusing_ = false;
};

}  // namespace mobisync::sim
