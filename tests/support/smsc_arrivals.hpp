// SPDX-License-Identifier: Apache-2.0
// What a strict node SMSC (NodeSmscOptions::max_per_second) saw arrive: the accepted submit_sm
// arrival times, and how many of them fall in the busiest sliding second.
#pragma once

#include <cstddef>
#include <vector>

#include "support/node_smsc.hpp"

namespace mobisync::test {

/// The "arrival" records of a strict node SMSC, in arrival order.
struct SmscArrivals {
  std::vector<double> accepted_ms;  ///< arrival times of accepted submit_sm (ms, SMSC clock)
  std::size_t throttled = 0;        ///< submit_sm answered ESME_RTHROTTLED by the rate check
};

SmscArrivals readArrivals(const NodeSmsc& smsc);

/// The most arrivals in any window (t - 1000 ms, t], the SMSC's own sliding second.
/// `times_ms` must be sorted.
std::size_t mostInAnySlidingSecond(const std::vector<double>& times_ms);

/// How many of `times_ms` fall in [from_ms, from_ms + length_ms).
std::size_t countBetween(const std::vector<double>& times_ms, double from_ms, double length_ms);

}  // namespace mobisync::test
