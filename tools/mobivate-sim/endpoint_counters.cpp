// SPDX-License-Identifier: Apache-2.0
// Per-endpoint request counters.
#include "endpoint_counters.hpp"

namespace mobisync::sim {

void EndpointCounters::count(const std::string& endpoint, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++counts_[endpoint][outcome];
}

EndpointCounters::Counts EndpointCounters::snapshot() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void EndpointCounters::clear() {
  std::lock_guard lock(mutex_);
  counts_.clear();
}

}  // namespace mobisync::sim
