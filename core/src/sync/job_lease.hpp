// SPDX-License-Identifier: Apache-2.0
// JobLease: a run's hold on its job — taken once, renewed by a heartbeat, released at the end.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "state/lease_store.hpp"
#include "state/state_session.hpp"
#include "state/state_store.hpp"

namespace mobisync::sync {

/// Tries once, on construction, to take the lease of a job for this process. When it gets it,
/// the store fences every write of the job's confirmed state with the token, and a heartbeat
/// thread renews the lease every ttl/3 over a connection of its own (the store's belongs to the
/// run's thread). The destructor stops the heartbeat, lifts the fence and releases the lease.
///
/// stopFlag() is what the run gives its applier: it rises when the caller's own stop rises
/// (looked at every 100 ms) or when the lease is lost (a renewal found another token, or no
/// renewal succeeded for a whole ttl). A lost lease also makes the next fenced write fail, so
/// nothing is recorded after it either way.
class JobLease {
 public:
  JobLease(state::StateStore& store, const state::StateLocation& where, std::string job,
           std::chrono::milliseconds ttl, const std::atomic<bool>* outer_stop);
  ~JobLease();
  JobLease(const JobLease&) = delete;
  JobLease& operator=(const JobLease&) = delete;

  bool acquired() const { return token_.has_value(); }
  std::int64_t token() const { return token_.value_or(0); }
  /// Who holds the job when acquired() is false (holder and expiry), as read right after the
  /// refusal; empty holder when the row vanished in between.
  const state::LeaseRow& other() const { return other_; }

  /// The destructor then leaves the lease to expire one ttl after the last renewal instead of
  /// releasing it, unless the caller's stop has risen.
  void keepUntilExpiry() { release_ = false; }

  const std::atomic<bool>& stopFlag() const { return stop_; }
  bool lost() const { return lost_.load(); }
  /// Why the lease was lost, for the run's report; empty while it is held.
  std::string lostReason() const;

 private:
  void heartbeat(state::StateLocation where);

  state::StateStore& store_;
  std::string job_;
  std::chrono::milliseconds ttl_;
  const std::atomic<bool>* outer_stop_;
  std::optional<std::int64_t> token_;
  state::LeaseRow other_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> lost_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool ending_ = false;
  bool release_ = true;
  std::string lost_reason_;
  std::thread thread_;
};

/// Milliseconds since the epoch: the clock lease expiry is measured in.
std::int64_t wallClockMs();

/// `ms` since the epoch as UTC ISO 8601 to the second ("2026-11-25T18:50:01Z"), for messages.
std::string leaseTimeText(std::int64_t ms);

}  // namespace mobisync::sync
