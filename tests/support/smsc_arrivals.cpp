// SPDX-License-Identifier: Apache-2.0
#include "support/smsc_arrivals.hpp"

#include <algorithm>

namespace mobisync::test {

SmscArrivals readArrivals(const NodeSmsc& smsc) {
  SmscArrivals out;
  for (const auto& r : smsc.records("arrival")) {
    if (r->optValue<bool>("accepted", false)) {
      out.accepted_ms.push_back(r->getValue<double>("arrival_ms"));
    } else {
      ++out.throttled;
    }
  }
  // Written in arrival order by one node thread; sorted anyway, the window count relies on it.
  std::sort(out.accepted_ms.begin(), out.accepted_ms.end());
  return out;
}

std::size_t mostInAnySlidingSecond(const std::vector<double>& times_ms) {
  std::size_t most = 0;
  std::size_t first = 0;  // the oldest arrival inside (t - 1000, t] for t = times_ms[last]
  for (std::size_t last = 0; last < times_ms.size(); ++last) {
    while (times_ms[first] <= times_ms[last] - 1000.0) ++first;
    most = std::max(most, last - first + 1);
  }
  return most;
}

std::size_t countBetween(const std::vector<double>& times_ms, double from_ms, double length_ms) {
  auto lo = std::lower_bound(times_ms.begin(), times_ms.end(), from_ms);
  auto hi = std::lower_bound(times_ms.begin(), times_ms.end(), from_ms + length_ms);
  return static_cast<std::size_t>(hi - lo);
}

}  // namespace mobisync::test
