// SPDX-License-Identifier: Apache-2.0
// RunNotifications: HLR filtering before the calls, contact events after, messages at the end.
#include "sync/run_notifications.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>

#include "notify/number_checker.hpp"
#include "notify/optout_import.hpp"
#include "values/wall_clock.hpp"
#include "state/hlr_cache.hpp"

namespace mobisync::sync {

RunNotifications::RunNotifications(const config::AppConfig& cfg, const config::JobConfig& job,
                                   plugin_host::PluginLoader& loader, state::StateStore& store)
    : cfg_(cfg), job_(job), store_(store), pool_(cfg, loader, &store) {
  for (const auto& r : cfg.notify_rules) {
    if (!r.appliesTo(job.name)) continue;
    active_ = true;
    if (r.event == values::Event::ContactRemoved) wants_removed_ = true;
  }
}

Result<std::int64_t> RunNotifications::dropInactiveNumbers(Plan& plan, RejectWriter& rejects) {
  if (!job_.hlr) return std::int64_t{0};
  Poco::Logger& log = Poco::Logger::get("mobisync.sync");
  notify::NumberChecker checker(pool_, store_, job_.hlr_via, job_.hlr_max_age_hours);
  std::int64_t inactive = 0, unanswered = 0;
  std::string first_error;
  std::vector<PlanEntry> kept;
  kept.reserve(plan.entries.size());
  for (auto& e : plan.entries) {
    if (e.add.empty()) {
      kept.push_back(std::move(e));
      continue;
    }
    auto checked = checker.check(e.msisdn);
    if (!checked && checked.error().code() == Errc::InvalidConfig) {
      return Status::invalidConfig("job " + job_.name + ": hlr_via: " + checked.error().message());
    }
    if (!checked) {
      // An unanswered lookup must not cost a real subscriber their subscription.
      if (first_error.empty()) first_error = checked.error().message();
      ++unanswered;
      kept.push_back(std::move(e));
      continue;
    }
    if (checked->status.state != plugin::NumberStatus::State::Inactive) {
      kept.push_back(std::move(e));
      continue;
    }
    ++inactive;
    plan.summary.add_pairs -= static_cast<std::int64_t>(e.add.size());
    std::string reason = "number lookup: inactive";
    if (!checked->status.detail.empty()) reason += " (" + checked->status.detail + ")";
    if (!checked->status.network.empty()) reason += ", network " + checked->status.network;
    if (checked->cached) reason += ", remembered from an earlier lookup";
    std::string apps;
    for (const auto& a : e.add) apps += (apps.empty() ? "" : ",") + a;
    rejects.write("hlr", reason + "; not subscribed to " + apps, e.msisdn);
    e.add.clear();
    // The rest of the entry (a changed name for pairs already held) still goes ahead.
    if (e.details_changed || !e.remove.empty() || !e.release.empty()) kept.push_back(std::move(e));
  }
  plan.entries = std::move(kept);
  if (unanswered > 0) {
    log.warning("job %s: %Ld number lookups failed, those numbers are subscribed unchecked: %s",
                job_.name, unanswered, first_error);
  }
  return inactive;
}

void RunNotifications::rememberRemoved(const Plan& plan) {
  if (!wants_removed_) return;
  using Poco::Data::Keywords::into;
  using Poco::Data::Keywords::now;
  using Poco::Data::Keywords::use;
  for (const auto& e : plan.entries) {
    if (e.remove.empty() || !e.add.empty() || !e.keep.empty()) continue;
    std::string job = job_.name, msisdn = e.msisdn;
    std::vector<std::string> names, references;
    try {
      store_.session() << "SELECT name, reference FROM subscriptions WHERE job = ? AND msisdn = ?"
                          " LIMIT 1",
          use(job), use(msisdn), into(names), into(references), now;
    } catch (const std::exception&) {
      continue;  // a goodbye without a name is better than none
    }
    if (!names.empty()) removed_details_[e.msisdn] = {names.front(), references.front()};
  }
}

std::vector<notify::QueuedMessage> RunNotifications::messagesFor(
    const Plan& plan, const std::vector<std::size_t>& settled,
    const std::vector<std::uint8_t>& confirmed, const DesiredSet& desired) {
  if (!active_) return {};
  taken_.resize(plan.entries.size(), false);
  std::vector<notify::ContactEvent> events;
  for (const std::size_t i : settled) {
    if (i >= plan.entries.size() || i >= confirmed.size() || taken_[i]) continue;
    taken_[i] = true;
    const PlanEntry& e = plan.entries[i];
    const std::uint8_t f = confirmed[i];
    // Added: new to this job and confirmed. Removed: every pair of the job gone, all confirmed.
    if ((f & kAddConfirmed) != 0 && e.keep.empty()) {
      notify::ContactEvent ev{values::Event::ContactAdded, e.msisdn, e.name, e.reference, {}};
      if (const auto* attrs = desired.attributes(e.msisdn)) ev.attributes = *attrs;
      events.push_back(std::move(ev));
    } else if ((f & kRemoveConfirmed) != 0 && (f & kCallFailed) == 0 && e.add.empty() &&
               e.keep.empty()) {
      notify::ContactEvent ev{values::Event::ContactRemoved, e.msisdn, {}, {}, {}};
      if (auto it = removed_details_.find(e.msisdn); it != removed_details_.end()) {
        ev.name = it->second.first;
        ev.reference = it->second.second;
      }
      events.push_back(std::move(ev));
    }
  }
  if (events.empty()) return {};
  auto messages = notify::Dispatcher(cfg_.notify_rules, pool_, store_)
                      .contactMessages(job_.name, events);
  for (const auto& m : messages) {
    if (!m.error.empty()) ++unrendered_[m.notifier];
  }
  return messages;
}

void RunNotifications::collect(const Plan& plan, const std::vector<std::uint8_t>& confirmed,
                               const DesiredSet& desired) {
  std::vector<std::size_t> all(plan.entries.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  auto rest = messagesFor(plan, all, confirmed, desired);
  left_.insert(left_.end(), std::make_move_iterator(rest.begin()),
               std::make_move_iterator(rest.end()));
}

void RunNotifications::send(JobReport& r, std::int64_t run_id) {
  if (!active_) return;
  notify::RunFacts facts;
  facts.job = job_.name;
  facts.run_id = run_id;
  // A partial run did not do what it planned: admins hear of it as a failure.
  facts.outcome = r.outcome == JobOutcome::Failed || r.outcome == JobOutcome::Partial
                      ? values::Event::JobFailed
                  : r.outcome == JobOutcome::Blocked ? values::Event::JobBlocked
                                                     : values::Event::JobSucceeded;
  static_cast<state::RunCounts&>(facts) = r;
  facts.error = !r.status ? r.status.message() : r.blocked_reason;
  try {
    // The provider's opt-out list first, so a number opted out at the provider since the last
    // import is suppressed in this run's messages. A failed import is reported; the messages
    // still go out against the list as it stands.
    if (auto imported = notify::importOptoutsIfConfigured(cfg_, store_, values::nowMs());
        imported && !imported->ok) {
      r.notify_problems.push_back("opt-out list not imported: " + imported->error);
    }
    // What the apply queued batch by batch is counted here, once: its render failures now, its
    // sends with the drain below.
    for (const auto& [via, n] : unrendered_) {
      r.messages_failed += n;
      r.notify_problems.push_back(notify::unrenderedProblem(via, n));
    }
    unrendered_.clear();
    if (!left_.empty()) notify::enqueueMessages(store_, left_, values::nowMs());
    left_.clear();
    notify::Dispatcher dispatcher(cfg_.notify_rules, pool_, store_);
    notify::NotifyCounts counts = dispatcher.notify(facts, {});
    r.messages_sent += counts.sent;
    r.messages_failed += counts.failed;
    for (auto& p : counts.problems) r.notify_problems.push_back(std::move(p));
  } catch (const std::exception& e) {
    // The message log could not be written: nothing more is sent, so nothing is sent twice.
    r.notify_problems.push_back(std::string("notifications stopped: ") + e.what());
  }
}

}  // namespace mobisync::sync
