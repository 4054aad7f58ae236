// SPDX-License-Identifier: Apache-2.0
// The log of every contacts proxy request the simulator received, for tests to inspect.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fault_injector.hpp"

namespace mobisync::sim {

enum class ProxyOp { Create, Delete };

/// "create" or "delete".
const char* proxyOpName(ProxyOp op);

/// One proxy request as received. Holds no credentials, by design: tests dump this log.
struct ProxyRequestRecord {
  std::uint64_t seq = 0;
  ProxyOp op = ProxyOp::Create;
  std::string msisdn;
  std::vector<std::string> applications;  // tokens as sent, valid or not
  std::optional<std::string> name;        // nullopt when the parameter was absent
  std::optional<std::string> reference;
  int status = 0;
  Fault fault = Fault::None;
};

/// Counters over the log since the last clear().
struct RequestStats {
  std::uint64_t create = 0;
  std::uint64_t remove = 0;
  std::uint64_t faults = 0;
  std::uint64_t requests = 0;
};

/// Thread-safe, append-only until clear(). Entries are numbered on arrival (nextSeq) but appended
/// on completion, so entries() sorts by seq to give arrival order.
class RequestLog {
 public:
  /// The next sequence number, 1 after construction or clear().
  std::uint64_t nextSeq();

  void append(ProxyRequestRecord record);

  /// Every entry in arrival order.
  std::vector<ProxyRequestRecord> entries() const;

  RequestStats stats() const;

  void clear();

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::vector<ProxyRequestRecord> entries_;
  RequestStats stats_;
};

}  // namespace mobisync::sim
