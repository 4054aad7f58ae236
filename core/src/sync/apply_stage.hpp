// SPDX-License-Identifier: Apache-2.0
// The apply stage: a plan's provider calls, and what the provider's answers confirm.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "config/app_config.hpp"
#include "mobisync/status.hpp"
#include "remote/applier.hpp"
#include "remote/provider_call.hpp"
#include "state/state_store.hpp"
#include "sync/plan.hpp"
#include "sync/reject_writer.hpp"
#include "sync/run_recorder.hpp"

namespace mobisync::sync {

/// The provider calls a plan needs, and its releases, which need none.
struct PlannedCalls {
  std::vector<remote::ProviderCall> calls;
  std::vector<std::size_t> entry_of;  ///< the plan entry of each call
  std::vector<state::PairChange> releases;
};

/// Per plan entry a create (adds, and kept applications again when details changed) and a
/// remove; a release becomes an Erase of our own state only.
PlannedCalls plannedCalls(const Plan& plan);

/// What the provider's answers add up to, in pairs unless said otherwise.
struct ApplyTally {
  std::int64_t added = 0;
  std::int64_t removed = 0;          ///< releases included
  std::int64_t updated = 0;          ///< contacts
  std::int64_t failed = 0;
  std::int64_t refused = 0;          ///< of the failed, refused by the provider
  std::int64_t not_sent = 0;         ///< of the failed, never sent (the run stopped first)
  std::int64_t confirmed_calls = 0;  ///< calls with at least one confirmed application
  std::int64_t retries = 0;
};

/// Turns batches of answers into confirmed changes to record, the tally and a ConfirmedFlag per
/// plan entry; writes each refusal to the reject file. Borrows everything; one thread.
class ApplyBookkeeping {
 public:
  ApplyBookkeeping(const Plan& plan, const PlannedCalls& planned, RejectWriter& rejects);

  /// The confirmed changes in `batch`, in answer order.
  std::vector<state::PairChange> take(const std::vector<remote::Completed>& batch);
  /// The plan entries whose every call has been answered (or given up) since the last call:
  /// their ConfirmedFlags are final.
  std::vector<std::size_t> takeSettled();
  void countReleases(std::size_t n) { tally_.removed += static_cast<std::int64_t>(n); }

  const ApplyTally& tally() const { return tally_; }
  const std::vector<std::uint8_t>& confirmed() const { return confirmed_; }

 private:
  void refused(const remote::ProviderCall& call, const std::string& what,
               const std::string& why);

  const Plan& plan_;
  const PlannedCalls& planned_;
  RejectWriter& rejects_;
  ApplyTally tally_;
  std::vector<std::uint8_t> confirmed_;
  std::vector<std::uint8_t> calls_left_;  ///< per plan entry (an entry has at most two)
  std::vector<std::size_t> settled_;
};

/// What the apply stage hands on. With a failed `status` (a confirmed change could not be
/// recorded, so the calls stopped) `stats` is empty, the tally counts what was recorded.
struct AppliedPlan {
  Status status;
  remote::ApplyStats stats;
  ApplyTally tally;
  std::vector<std::uint8_t> confirmed;  ///< ConfirmedFlag per plan entry
  std::int64_t calls = 0;
  double seconds = 0;  ///< from the first call to the last answer recorded
};

/// Called after each recorded batch with the calls answered so far and the total.
using ApplyProgress = std::function<void(std::int64_t done, std::int64_t total)>;

/// Called per batch with the plan entries it settled and every entry's ConfirmedFlags; what it
/// returns (the messages those confirmations cause) is recorded in the batch's transaction.
using SettledMessages = std::function<std::vector<notify::QueuedMessage>(
    const std::vector<std::size_t>& settled, const std::vector<std::uint8_t>& confirmed)>;

/// Records the releases, then runs the calls through remote::Applier, recording each batch of
/// confirmed changes through `recorder` as it arrives, together with the messages `messages`
/// gives for the entries the batch settled (so a run killed mid-apply has queued the messages of
/// every change it recorded). Never throws.
AppliedPlan applyStage(const Plan& plan, const config::ProviderSettings& provider,
                       RunRecorder& recorder, RejectWriter& rejects,
                       const ApplyProgress& progress, const std::atomic<bool>* stop,
                       const SettledMessages& messages = {});

}  // namespace mobisync::sync
