// SPDX-License-Identifier: Apache-2.0
// RunRecorder: every state write of one run, in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/status.hpp"
#include "notify/outbox_drain.hpp"
#include "state/state_store.hpp"
#include "sync/job_report.hpp"

namespace mobisync::sync {

/// Owns the writes a run makes to the state: its row in the run history (begun before the
/// source is read, finished with the report's counts), the number memo, the confirmed changes,
/// the cursor. A recorder that does not write (`plan`) does nothing and succeeds. Store errors
/// come back as a Status, except from recordChanges (see there). Borrows the store; one thread.
class RunRecorder {
 public:
  RunRecorder(state::StateStore& store, std::string job, std::string mode, bool writes);

  /// Starts the run's row in the history.
  Status begin(std::int64_t now_ms);
  std::int64_t runId() const { return run_id_; }

  /// Adds numbers known to normalise to themselves for `region` to the memo. The memo only saves
  /// time, so a failure is a warning, not the run's.
  void recordNumberMemo(const std::string& region, const std::vector<std::int64_t>& numbers);

  /// Records confirmed changes, and queues the messages they cause, in one transaction: a run
  /// killed after it has never recorded a change without its messages. Throws on a state error
  /// (a lost lease among them): it runs inside the applier's batch hand-over, whose throw stops
  /// the calls; the apply stage turns it into its Status.
  void recordChanges(const std::vector<state::PairChange>& changes,
                     const std::vector<notify::QueuedMessage>& messages = {});

  /// Moves the job's stored cursor to where the source got.
  Status saveCursor(const std::string& source, const plugin::Cursor& cursor,
                    std::int64_t now_ms);

  /// Finishes the run's row with the report's counts, outcome and reason, and logs the run's
  /// summary line. Never throws: a run that cannot be recorded is logged.
  void finish(const JobReport& r, std::int64_t now_ms);

 private:
  state::StateStore& store_;
  std::string job_;
  std::string mode_;
  bool writes_;
  std::int64_t run_id_ = 0;
};

/// The run's one summary line, "job=... outcome=... fetched=..." with the reason when it did not
/// succeed.
std::string summaryLine(const JobReport& r);

}  // namespace mobisync::sync
