// SPDX-License-Identifier: Apache-2.0
// Running mobisync for a safety harness case and reading what a run left behind: snapshots of
// the provider and the state, the simulator's log of the run's calls, the run's JSON report, and
// a trace of every run for a replay.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "reliability/safety_harness_checks.hpp"
#include "reliability/sync_workspace.hpp"

namespace mobisync::test::safety {

/// Where runMobisync() writes its trace, and the running case (one case per thread at a time);
/// runCase() sets both for its lifetime.
extern thread_local std::string* t_trace;
extern thread_local const CaseSpec* t_spec;

struct StateRead {
  Holdings holdings;
  std::int64_t last_run = 0;
  std::int64_t last_success = 0;
  std::string last_outcome;
  std::string last_message;
};

/// The job's pairs and its newest runs in the state file at `path` (empty when there is none).
StateRead readState(const std::string& path);

/// The provider's and the state's holdings now, and the simulator's newest logged request.
Snapshot snapshot(SyncWorkspace& w, StateRead* state_out = nullptr);

/// The simulator's log of the requests after `from_seq`.
CallSummary summarize(SyncWorkspace& w, long from_seq);

/// A loopback port nothing listens on (bound, then closed).
int deadPort();

/// Where the provider and the state disagree after a step, and what the step changed.
void traceDifferences(std::string& out, const Snapshot& before, const Snapshot& after);

/// Makes the race for a run once its process exists.
using RaceStarter = std::function<std::unique_ptr<FileRace>(pid_t)>;

/// Runs `mobisync <args>` in the workspace, killing it `bound` plus a grace after it started,
/// and reads its report; traced when t_trace is set.
RunObservation runMobisync(SyncWorkspace& w, std::vector<std::string> args, double bound,
                           int& counter, const RaceStarter& start_race = {},
                           RaceOutcome* race_out = nullptr);

/// A sync, run again while a killed earlier run's lease (2 s) has not expired.
RunObservation sync(SyncWorkspace& w, std::vector<std::string> extra, double bound, int& counter,
                    const RaceStarter& start_race = {}, RaceOutcome* race_out = nullptr);

}  // namespace mobisync::test::safety
