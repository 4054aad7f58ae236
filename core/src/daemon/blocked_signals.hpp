// SPDX-License-Identifier: Apache-2.0
// BlockedSignals: the daemon's stop and reload signals blocked on the constructing thread.
#pragma once

#include <signal.h>

namespace mobisync::daemon {

/// Blocks SIGTERM, SIGINT and SIGHUP on the calling thread from construction on; every thread
/// started afterwards inherits the mask, so only a sigtimedwait() on them ever takes one.
/// Declared as the daemon's first member: its other members start threads of their own (the
/// state probe) and a thread that does not block them lets SIGTERM end the process by default.
class BlockedSignals {
 public:
  BlockedSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }

  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_;
};

}  // namespace mobisync::daemon
