// SPDX-License-Identifier: Apache-2.0
// LeaseStore: which process applies a job (job_leases), with a fencing token per acquisition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/state_error.hpp"

namespace Poco::Data {
class Session;
}

namespace mobisync::state {

class StateStore;

/// One row of job_leases. A lease is held while now < expires_at_ms; a released lease keeps
/// its row (expires_at 0) so the token goes on growing from where it was.
struct LeaseRow {
  std::string job;
  std::string holder;  ///< host:pid:mark.random of the process that took it last
  std::int64_t token = 0;
  std::int64_t expires_at_ms = 0;
  std::int64_t acquired_at_ms = 0;
};

/// A write fenced by a lease found the lease taken over (or gone): the write is rolled back and
/// the run must stop, because another process now applies the job from the confirmed state.
class LeaseLost : public StateError {
 public:
  using StateError::StateError;
};

/// The job_leases table over a borrowed session (the job's own, or a heartbeat's second
/// connection to the same state). Times are milliseconds since the epoch given by the caller,
/// so tests drive expiry by hand; hosts sharing a state need clocks within a fraction of the ttl.
/// Not thread-safe, like the session. Throws StateError naming `where` on database failures.
class LeaseStore {
 public:
  LeaseStore(Poco::Data::Session& session, std::string where);
  explicit LeaseStore(StateStore& store);

  /// Takes the lease of `job` for `holder` until now_ms + ttl_ms when it is free (never taken,
  /// released, or expired) or already `holder`'s. Returns the new token, one more than any
  /// token `job` had before; nothing when another holder's lease is still running.
  std::optional<std::int64_t> tryAcquire(const std::string& job, const std::string& holder,
                                         std::int64_t ttl_ms, std::int64_t now_ms);

  /// Takes the lease of `job` from `dead_holder` (see holderIsDeadHere) whatever its expiry, if
  /// that is still its holder. Returns the new token; nothing when the holder changed meanwhile.
  std::optional<std::int64_t> tryTakeOver(const std::string& job, const std::string& dead_holder,
                                          const std::string& holder, std::int64_t ttl_ms,
                                          std::int64_t now_ms);

  /// Extends the lease to now_ms + ttl_ms if `token` is still the job's token. False when
  /// another acquisition came in between: the caller has lost the job. An expired lease that
  /// nobody took yet is renewed, since no one else can have written under it.
  bool renew(const std::string& job, std::int64_t token, std::int64_t ttl_ms,
             std::int64_t now_ms);

  /// Frees the lease if `token` is still the job's token; a no-op otherwise.
  void release(const std::string& job, std::int64_t token);

  /// The job's lease row, held or not; nothing when the job never had one.
  std::optional<LeaseRow> find(const std::string& job);
  /// Every lease row, by job.
  std::vector<LeaseRow> all();

  /// The fence: inside the caller's write transaction, touches the job's lease row if `token`
  /// is still its token (on PostgreSQL that takes the row lock, so a competing acquisition
  /// waits for the transaction), and throws LeaseLost naming the new holder otherwise.
  void checkToken(const std::string& job, std::int64_t token);

 private:
  Poco::Data::Session& session_;
  std::string where_;
};

/// This process's holder id, "host:pid:mark.random", the same for every lease it takes. The
/// mark names this kernel boot and pid namespace; the random part tells apart two processes that
/// reuse a pid.
const std::string& processHolderId();

/// Whether `holder` is a process of this host, kernel boot and pid namespace that no longer
/// exists (killed, crashed): its lease can be taken at once instead of after its expiry, since
/// a process that is gone writes nothing more. False whenever that cannot be known for sure
/// (another host or container, an unparsable id, a live or unreachable pid).
bool holderIsDeadHere(const std::string& holder);

/// Whether `holder` is a process of this host, kernel boot and pid namespace that still runs
/// (this process included). False when that cannot be known (another host, an unparsable id).
bool holderIsAliveHere(const std::string& holder);

}  // namespace mobisync::state
