// SPDX-License-Identifier: Apache-2.0
// The crash-resume harness: SIGKILL a real `mobisync sync` at random points while it applies,
// re-run it to the end, and check the provider, the state and the simulator's call log against
// what the source wants. Shared by the CSV and the SQL crash-resume tests.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "reliability/sync_workspace.hpp"

namespace mobisync::test {

/// Config lines every crash workspace appends: a killed run keeps its job's lease until the lease
/// expires, and the next run waits for that (exit 75), so the lease is kept short to keep each
/// kill cheap. Long enough that a loaded machine still renews it in time (every third of it).
inline constexpr const char* kShortLease = "\n[daemon]\nlease_ttl = 2\n";

/// MOBISYNC_CRASH_SEED when set (to replay a run's kill points), a random seed otherwise.
std::uint64_t crashSeed();

/// What one kill left behind.
struct KillRecord {
  long calls_at_kill = 0;
  PairSet unrecorded;  ///< applied at the provider and not in the state, or the reverse
};

/// Runs sync and SIGKILLs it `kills` times at random call counts spread over the
/// `expected_calls` still to make, each while it applies. Returns what each kill left
/// unrecorded; fewer records when a run finished first.
std::vector<KillRecord> killRepeatedly(SyncWorkspace& w, std::mt19937_64& rng, int kills,
                                       long expected_calls);

/// Runs sync until it exits 0 (at most 3 times: a finished run needs no more); fails otherwise.
void resumeToEnd(SyncWorkspace& w);

/// The sequence number of the simulator's newest logged call (0 when none).
long lastSeq(SyncWorkspace& w);

/// The checks every scenario ends with: the provider equals `desired` and the state, every call
/// repeated since `from_seq` is one a kill caught unrecorded, and a plan finds nothing to do.
void checkConverged(SyncWorkspace& w, const PairSet& desired,
                    const std::vector<KillRecord>& kills, long from_seq);

}  // namespace mobisync::test
