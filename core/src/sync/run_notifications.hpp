// SPDX-License-Identifier: Apache-2.0
// RunNotifications: the job runner's side of [[notify]] rules and HLR checks for one run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/app_config.hpp"
#include "notify/dispatcher.hpp"
#include "notify/notifier_pool.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"
#include "sync/desired_set.hpp"
#include "sync/job_report.hpp"
#include "sync/plan.hpp"
#include "sync/reject_writer.hpp"

namespace mobisync::sync {

/// Holds the run's notifier instances (created on first use, shut down with this object) and
/// turns the run's confirmed changes into notify::ContactEvents. Borrows everything; one thread.
class RunNotifications {
 public:
  RunNotifications(const config::AppConfig& cfg, const config::JobConfig& job,
                   plugin_host::PluginLoader& loader, state::StateStore& store);

  /// True when some rule applies to the job: only then are events collected and sent.
  bool active() const { return active_; }

  /// With hlr = true: looks up every number about to be added (cache first), drops the adds of
  /// numbers reported inactive, writes them to the reject file with the reason, and returns how
  /// many. Lookup failures are warned about and the number is subscribed (Unknown). A failed
  /// Status when the lookup notifier cannot be used at all.
  Result<std::int64_t> dropInactiveNumbers(Plan& plan, RejectWriter& rejects);

  /// Before applying: remembers name and reference of contacts the plan removes entirely, since
  /// their state rows are gone once the removal is confirmed.
  void rememberRemoved(const Plan& plan);

  /// The messages (contact.added, contact.removed) of the plan entries `settled`, whose
  /// ConfirmedFlags in `confirmed` are final, for the apply stage to queue in the transaction
  /// that records their changes. Each entry is taken once.
  std::vector<notify::QueuedMessage> messagesFor(const Plan& plan,
                                                 const std::vector<std::size_t>& settled,
                                                 const std::vector<std::uint8_t>& confirmed,
                                                 const DesiredSet& desired);

  /// After applying: the messages of entries no batch settled (the apply stopped), queued now.
  void collect(const Plan& plan, const std::vector<std::uint8_t>& confirmed,
               const DesiredSet& desired);

  /// Sends what the rules ask for this run, filling the report's message counts.
  void send(JobReport& r, std::int64_t run_id);

 private:
  const config::AppConfig& cfg_;
  const config::JobConfig& job_;
  state::StateStore& store_;
  notify::NotifierPool pool_;
  bool active_ = false;
  bool wants_removed_ = false;
  std::map<std::string, std::pair<std::string, std::string>> removed_details_;
  std::vector<bool> taken_;                         ///< per plan entry: its messages are made
  std::map<std::string, std::int64_t> unrendered_;  ///< per notifier: messages kept as failed
  std::vector<notify::QueuedMessage> left_;         ///< collect()'s, queued by send()
};

}  // namespace mobisync::sync
