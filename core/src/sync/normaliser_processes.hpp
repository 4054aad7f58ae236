// SPDX-License-Identifier: Apache-2.0
// NormaliserProcesses: forked workers that run libphonenumber on every core.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "mobisync/result.hpp"
#include "model/msisdn.hpp"

namespace mobisync::sync {

/// Child processes, each with its own copy of libphonenumber, normalising batches of cells for
/// one normaliser. Threads of one process do not help: the library's regex cache serialises
/// them behind one lock; processes do not share it. Each child is a fork of this process made
/// while no thread is inside the library (MsisdnNormalizer::whileQuiescent), talks over a unix
/// socket pair and exits when its socket closes (or this process dies). Any failure of a child
/// (it crashed, a write failed, it took over 30 seconds to take or answer a batch) makes that
/// batch run in this process and the child is killed: the answers never depend on the children,
/// and a child can only cost time. Thread-safe.
class NormaliserProcesses {
 public:
  /// Forks up to `count` workers (fewer if forking fails; none is fine). A worker that takes
  /// longer than `timeout` to take or answer a batch is given up.
  NormaliserProcesses(const model::MsisdnNormalizer& normalizer, unsigned count,
                      std::chrono::seconds timeout = std::chrono::seconds(30));
  ~NormaliserProcesses();
  NormaliserProcesses(const NormaliserProcesses&) = delete;
  NormaliserProcesses& operator=(const NormaliserProcesses&) = delete;

  /// normalizer.normalize() of each cell, in order, computed by a free worker (waiting for one)
  /// or by this process when no worker is left.
  std::vector<Result<std::string>> normalize(const std::vector<std::string_view>& cells);

  /// Workers still trusted with batches.
  unsigned workers() const;
  /// Their process ids (tests kill one to see the fallback).
  std::vector<pid_t> pids() const;

 private:
  struct Worker {
    int fd = -1;
    pid_t pid = -1;
    bool busy = false;
  };
  int acquire();
  void release(int index, bool failed);
  std::vector<Result<std::string>> inProcess(const std::vector<std::string_view>& cells) const;

  const model::MsisdnNormalizer& normalizer_;
  mutable std::mutex mutex_;
  std::condition_variable free_;
  std::vector<Worker> workers_;
};

}  // namespace mobisync::sync
