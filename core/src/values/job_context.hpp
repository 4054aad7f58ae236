// SPDX-License-Identifier: Apache-2.0
// The job a thread works for, so that log lines and metrics of lower layers can name it without
// every call between them passing it along.
#pragma once

#include <string>

namespace mobisync::values {

/// What the calling thread works for: empty outside a job's run.
struct JobContext {
  std::string job;
  std::string run_id;  ///< the run's id in the state, once it has one
};

/// The calling thread's context (thread-local).
const JobContext& currentJob();

/// Sets the calling thread's job for its lifetime and puts the previous context back after.
/// Threads a run starts (applier workers) do not inherit it: code that hands work to other
/// threads copies what it needs (remote::Applier copies the job into its settings).
class JobScope {
 public:
  explicit JobScope(std::string job);
  ~JobScope();
  JobScope(const JobScope&) = delete;
  JobScope& operator=(const JobScope&) = delete;

  /// Names the run once the state gave it an id.
  static void setRunId(std::string run_id);

 private:
  JobContext saved_;
};

}  // namespace mobisync::values
