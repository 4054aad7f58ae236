// SPDX-License-Identifier: Apache-2.0
// JobContext: one per thread.
#include "values/job_context.hpp"

#include <utility>

namespace mobisync::values {

namespace {

JobContext& current() {
  thread_local JobContext context;
  return context;
}

}  // namespace

const JobContext& currentJob() { return current(); }

JobScope::JobScope(std::string job) : saved_(std::exchange(current(), JobContext{std::move(job), {}})) {}

JobScope::~JobScope() { current() = std::move(saved_); }

void JobScope::setRunId(std::string run_id) { current().run_id = std::move(run_id); }

}  // namespace mobisync::values
