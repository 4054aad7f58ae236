// SPDX-License-Identifier: Apache-2.0
// Dispatcher: after a job run, turns its confirmed changes and outcome into [[notify]] messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "config/app_config.hpp"
#include "values/event.hpp"
#include "notify/notifier_pool.hpp"
#include "notify/outbox_drain.hpp"
#include "state/run_counts.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// One person the provider confirmed added to (or removed from) the job.
struct ContactEvent {
  values::Event event = values::Event::ContactAdded;
  std::string msisdn;
  std::string name;
  std::string reference;
  std::vector<std::pair<std::string, std::string>> attributes;  ///< those templates name
};

/// The facts of one run that job events report: its counts ({added}, {held}...) and more.
struct RunFacts : state::RunCounts {
  std::string job;
  std::int64_t run_id = 0;
  values::Event outcome = values::Event::JobSucceeded;  ///< job.succeeded, job.failed or job.blocked
  std::string error;  ///< why it failed, or what blocked it
};

/// What notifying did. `sent`: submitted; `skipped`: enqueued by an earlier run.
struct NotifyCounts {
  std::int64_t sent = 0;
  std::int64_t failed = 0;   ///< not accepted: dropped by the provider, failed, not rendered
  std::int64_t skipped = 0;
  std::int64_t receipts = 0;
  std::vector<std::string> problems;  ///< one line per notifier that stopped, per kind of failure
};

/// Sends the messages of the rules that apply to a job. Each message is written to the state's
/// outbox under a dedup key (contact events: once per contact, rule and event, ever; job events:
/// once per run), then the outbox is drained until they are submitted or failed; a crash loses
/// nothing and re-sends at most what was in flight. Borrows everything; not thread-safe.
class Dispatcher {
 public:
  /// `rules`: the config's [[notify]] rules, the only part of it the dispatcher reads.
  Dispatcher(const std::vector<config::NotifyRule>& rules, NotifierPool& pool,
             state::StateStore& store, DrainSettings drain = {},
             std::function<void(std::chrono::milliseconds)> sleep = {})
      : rules_(rules), pool_(pool), store_(store), drain_(std::move(drain)),
        sleep_(std::move(sleep)) {}

  /// True when any rule applies to `job`: without one, the runner need not collect events.
  bool hasRules(const std::string& job) const;

  /// Queues the messages of `contacts` and of the run's outcome, then drains every notifier the
  /// job's rules use (also what earlier runs or the apply queued) until settled.
  NotifyCounts notify(const RunFacts& run, const std::vector<ContactEvent>& contacts);

  /// The messages the rules of `job` send for `contacts`, rendered, under their dedup keys; not
  /// queued yet (the apply queues them in the transaction that records their changes).
  std::vector<QueuedMessage> contactMessages(const std::string& job,
                                             const std::vector<ContactEvent>& contacts) const;

 private:
  const std::vector<config::NotifyRule>& rules_;
  NotifierPool& pool_;
  state::StateStore& store_;
  DrainSettings drain_;
  std::function<void(std::chrono::milliseconds)> sleep_;  ///< between retries; empty: sleep
};

/// The problem line for `n` messages via `via` whose template had a field without a value.
std::string unrenderedProblem(const std::string& via, std::int64_t n);

}  // namespace mobisync::notify
