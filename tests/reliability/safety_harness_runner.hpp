// SPDX-License-Identifier: Apache-2.0
// Runs one seeded case of the safety harness on one workspace (a CSV source, a SQLite state, a
// simulator started with the case's seed, a config with one job): a clean first sync, then each
// step's damaged or raced file under the step's provider fault, then one run with the faults
// cleared and the file intact; the invariants are checked after every run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "reliability/safety_harness_checks.hpp"

namespace mobisync::test::safety {

/// Ways to break a case on purpose, to see that the checks notice (a test that cannot fail is
/// a defect). Empty in the real cases.
struct CaseHooks {
  /// Called after each step's run, before its checks (e.g. to remove a pair behind the engine).
  std::function<void(SyncWorkspace&, const SourceVersion& intact)> after_step_run;
  /// Writes max_delete and max_reject as 100% into the config while the checks still expect
  /// the case's own gates: an engine without gates, as far as the checks can tell.
  bool disable_gates = false;
  /// Writes timeout_ms ten times the case's and no max_run_seconds while the checks hold runs
  /// to the case's own deadlines: an engine that waits too long, as far as (d) can tell.
  bool slow_deadlines = false;
};

struct CaseResult {
  std::uint64_t seed = 0;
  std::string description;
  Violations violations;
  double seconds = 0;
  int runs = 0;
  int races_mid_read = 0;
  /// Pairs left different by a lost answer: the known gap, tolerated and counted (docs/safety.md).
  int unsettled_tolerated = 0;
  /// Each run: command, exit, time, the report's outcome and error, the end of stderr. Printed
  /// when a seed is replayed.
  std::string trace;
};

CaseResult runCase(std::uint64_t seed, const CaseHooks& hooks = {});

/// The command that replays `seed` alone.
std::string replayCommand(std::uint64_t seed);

}  // namespace mobisync::test::safety
