// SPDX-License-Identifier: Apache-2.0
// Refusal: counts proxy calls and closes the API port after the last one allowed.
#include "refusal.hpp"

#include <utility>

namespace mobisync::sim {

Refusal::Refusal(PortSwitch port) : port_(std::move(port)) {}

void Refusal::armAfter(int calls) {
  std::lock_guard lock(mutex_);
  left_ = calls > 0 ? calls : 0;
}

int Refusal::callsLeft() const {
  std::lock_guard lock(mutex_);
  return left_;
}

bool Refusal::refusing() const {
  std::lock_guard lock(mutex_);
  return refusing_;
}

Admission Refusal::admit() {
  std::lock_guard lock(mutex_);
  if (refusing_) {
    // A call on a connection opened before the port closed and not yet cut.
    return Admission::Refuse;
  }
  if (left_ == 0) {
    return Admission::Serve;
  }
  if (--left_ == 0) {
    refusing_ = true;  // later arrivals are refused even before the port is actually closed
    port_.stop_accepting();
    return Admission::ServeThenRefuse;
  }
  return Admission::Serve;
}

void Refusal::stopAccepting() {
  std::lock_guard lock(mutex_);
  refusing_ = true;
  left_ = 0;
  port_.stop_accepting();
}

void Refusal::refuseNow() {
  std::lock_guard port(port_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!refusing_) {
      // A resume came between the refusal and this: the port stays open.
      return;
    }
    left_ = 0;
  }
  port_.close();  // idempotent: closing a closed port does nothing
}

void Refusal::resume() {
  std::lock_guard port(port_mutex_);
  port_.open();
  std::lock_guard lock(mutex_);
  refusing_ = false;
  left_ = 0;
}

}  // namespace mobisync::sim
