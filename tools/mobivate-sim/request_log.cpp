// SPDX-License-Identifier: Apache-2.0
// Request log and counters of the simulated contacts proxy API.
#include "request_log.hpp"

#include <algorithm>

namespace mobisync::sim {

const char* proxyOpName(ProxyOp op) { return op == ProxyOp::Create ? "create" : "delete"; }

std::uint64_t RequestLog::nextSeq() {
  std::lock_guard lock(mutex_);
  return next_seq_++;
}

void RequestLog::append(ProxyRequestRecord record) {
  std::lock_guard lock(mutex_);
  ++stats_.requests;
  ++(record.op == ProxyOp::Create ? stats_.create : stats_.remove);
  if (record.fault != Fault::None) {
    ++stats_.faults;
  }
  entries_.push_back(std::move(record));
}

std::vector<ProxyRequestRecord> RequestLog::entries() const {
  std::vector<ProxyRequestRecord> copy;
  {
    std::lock_guard lock(mutex_);
    copy = entries_;
  }
  std::stable_sort(copy.begin(), copy.end(),
                   [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return copy;
}

RequestStats RequestLog::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  next_seq_ = 1;
  entries_.clear();
  stats_ = RequestStats{};
}

}  // namespace mobisync::sim
