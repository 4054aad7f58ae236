// SPDX-License-Identifier: Apache-2.0
// The apply stage: plan → calls → answers → confirmed changes, recorded batch by batch.
#include "sync/apply_stage.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

namespace mobisync::sync {

namespace {

using remote::ProviderCall;

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

const char* verb(const ProviderCall& call) {
  return call.kind == ProviderCall::Kind::Create ? "create " : "remove ";
}

}  // namespace

PlannedCalls plannedCalls(const Plan& plan) {
  PlannedCalls out;
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const PlanEntry& e = plan.entries[i];
    if (!e.add.empty() || e.details_changed) {
      ProviderCall c{ProviderCall::Kind::Create, e.msisdn, e.add, e.name, e.reference};
      if (e.details_changed) {
        c.applications.insert(c.applications.end(), e.keep.begin(), e.keep.end());
      }
      out.calls.push_back(std::move(c));
      out.entry_of.push_back(i);
    }
    if (!e.remove.empty()) {
      out.calls.push_back(ProviderCall{ProviderCall::Kind::Remove, e.msisdn, e.remove, {}, {}});
      out.entry_of.push_back(i);
    }
    for (const auto& a : e.release) {
      out.releases.push_back({state::PairChange::Kind::Erase, {e.msisdn, a, {}, {}}});
    }
  }
  return out;
}

ApplyBookkeeping::ApplyBookkeeping(const Plan& plan, const PlannedCalls& planned,
                                   RejectWriter& rejects)
    : plan_(plan), planned_(planned), rejects_(rejects), confirmed_(plan.entries.size(), 0),
      calls_left_(plan.entries.size(), 0) {
  for (const std::size_t entry : planned.entry_of) ++calls_left_[entry];
}

std::vector<std::size_t> ApplyBookkeeping::takeSettled() {
  std::vector<std::size_t> out;
  out.swap(settled_);
  return out;
}

void ApplyBookkeeping::refused(const ProviderCall& call, const std::string& what,
                               const std::string& why) {
  rejects_.writeRefusal(verb(call) + what + ": " + why, call.msisdn);
}

std::vector<state::PairChange> ApplyBookkeeping::take(
    const std::vector<remote::Completed>& batch) {
  std::vector<state::PairChange> changes;
  for (const auto& c : batch) {
    const ProviderCall& call = planned_.calls[c.index];
    const std::size_t entry = planned_.entry_of[c.index];
    const PlanEntry& e = plan_.entries[entry];
    const bool create = call.kind == ProviderCall::Kind::Create;
    if (--calls_left_[entry] == 0) settled_.push_back(entry);
    tally_.retries += std::max(0, c.result.attempts - 1);
    if (!c.result.status) {
      const auto pairs = static_cast<std::int64_t>(call.applications.size());
      tally_.failed += pairs;
      confirmed_[entry] |= kCallFailed;
      if (c.result.status.code() == Errc::Rejected) {
        // The provider refused this number: a fact about the row, for the reject file.
        tally_.refused += pairs;
        refused(call, joined(call.applications), c.result.status.message());
      } else if (c.result.attempts == 0) {
        tally_.not_sent += pairs;  // the run stopped first: planned again next time
      }
      continue;
    }
    bool updated = false;
    bool any_ok = false;
    for (const auto& t : c.result.tokens) {
      if (!t.ok) {
        ++tally_.failed;
        ++tally_.refused;
        confirmed_[entry] |= kCallFailed;
        refused(call, t.application, t.detail);
        continue;
      }
      any_ok = true;
      if (create) {
        changes.push_back({state::PairChange::Kind::Upsert,
                           {call.msisdn, t.application, call.name, call.reference}});
        if (std::find(e.keep.begin(), e.keep.end(), t.application) != e.keep.end()) {
          updated = true;
        } else {
          ++tally_.added;
          confirmed_[entry] |= kAddConfirmed;
        }
      } else {
        changes.push_back({state::PairChange::Kind::Erase, {call.msisdn, t.application, {}, {}}});
        ++tally_.removed;
        confirmed_[entry] |= kRemoveConfirmed;
      }
    }
    if (updated) ++tally_.updated;
    if (any_ok) ++tally_.confirmed_calls;
  }
  return changes;
}

AppliedPlan applyStage(const Plan& plan, const config::ProviderSettings& provider,
                       RunRecorder& recorder, RejectWriter& rejects,
                       const ApplyProgress& progress, const std::atomic<bool>* stop,
                       const SettledMessages& messages) {
  const PlannedCalls planned = plannedCalls(plan);
  ApplyBookkeeping books(plan, planned, rejects);
  AppliedPlan out;
  try {
    recorder.recordChanges(planned.releases);
    books.countReleases(planned.releases.size());
    out.calls = static_cast<std::int64_t>(planned.calls.size());
    if (!planned.calls.empty()) {
      std::int64_t done = 0;
      auto on_batch = [&](const std::vector<remote::Completed>& batch) {
        auto changes = books.take(batch);
        const auto settled = books.takeSettled();
        recorder.recordChanges(changes, messages && !settled.empty()
                                            ? messages(settled, books.confirmed())
                                            : std::vector<notify::QueuedMessage>{});
        done += static_cast<std::int64_t>(batch.size());
        if (progress) progress(done, out.calls);
      };
      remote::Applier applier(provider);
      const auto started = std::chrono::steady_clock::now();
      out.stats = applier.run(planned.calls, on_batch, stop);
      out.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
  } catch (const std::exception& e) {
    out.status = Status::io(std::string("cannot record confirmed changes: ") + e.what());
  }
  out.tally = books.tally();
  out.confirmed = books.confirmed();
  return out;
}

}  // namespace mobisync::sync
