// SPDX-License-Identifier: Apache-2.0
// Requests per endpoint and answer, for GET /_sim/stats.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace mobisync::sim {

/// endpoint -> outcome ("200", "429", "reset", ...) -> count. Thread-safe.
class EndpointCounters {
 public:
  using Counts = std::map<std::string, std::map<std::string, std::uint64_t>>;

  void count(const std::string& endpoint, const std::string& outcome);
  Counts snapshot() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  Counts counts_;
};

}  // namespace mobisync::sim
