// SPDX-License-Identifier: Apache-2.0
// OutboxDrain: takes due rows, sends them, writes each outcome as soon as it is known (so a
// crash leaves at most the message on the wire in doubt).
#include "notify/outbox_drain.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <thread>

#include <Poco/Logger.h>

#include "notify/message_metrics.hpp"
#include "provider_http/backoff.hpp"
#include "state/lease_store.hpp"
#include "state/outbox.hpp"
#include "state/suppression_list.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::notify {

namespace {

void add(DrainCounts& into, DrainCounts&& from) {
  into.submitted += from.submitted;
  into.retried += from.retried;
  into.failed += from.failed;
  into.expired += from.expired;
  into.suppressed += from.suppressed;
  into.requeued += from.requeued;
  for (auto& p : from.problems) into.problems.push_back(std::move(p));
  if (!from.fatal.isOk()) into.fatal = from.fatal;
}

/// Turns how one message went into its row's next status.
class Settler {
 public:
  Settler(const DrainSettings& s, DrainCounts& counts)
      : settings_(s), counts_(counts),
        backoff_(s.initial_backoff, s.max_backoff, std::random_device{}()) {}

  state::OutboxTransition ok(const state::MessageRecord& m, const std::string& message_id) {
    ++counts_.submitted;
    return {m.id, "submitted", message_id, "", 0};
  }
  state::OutboxTransition refused(const state::MessageRecord& m, const std::string& detail) {
    ++counts_.failed;
    return {m.id, "failed", "", detail, 0};
  }
  /// Temporary: queued again after a backoff, or failed once attempts are used up.
  state::OutboxTransition later(const state::MessageRecord& m, const std::string& detail,
                                std::int64_t now_ms) {
    if (m.attempts >= settings_.max_attempts) {
      ++counts_.failed;
      return {m.id, "failed", "",
              "still failing after " + std::to_string(m.attempts) + " attempts: " + detail, 0};
    }
    ++counts_.retried;
    const auto delay = backoff_.next(static_cast<int>(m.attempts));
    return {m.id, "queued", "", detail, now_ms + std::max<std::int64_t>(1, delay.count())};
  }

 private:
  const DrainSettings& settings_;
  DrainCounts& counts_;
  provider_http::Backoff backoff_;
};

state::OutboxTransition settle(Settler& settler, const state::MessageRecord& m,
                               const plugin::Delivery& d, std::int64_t now_ms) {
  using Outcome = plugin::Delivery::Outcome;
  switch (d.outcome) {
    case Outcome::Ok:
      return settler.ok(m, d.message_id);
    case Outcome::Drop:
      return settler.refused(m, d.detail.empty() ? "refused by the provider" : d.detail);
    case Outcome::Retry:
      break;
  }
  return settler.later(m, d.detail.empty() ? "provider busy" : d.detail, now_ms);
}

/// Writes `changes` and counts each final outcome in mobisync_messages_total{notifier,status},
/// so every drain of the process (the daemon's service, a job run's, `send`) counts what it
/// decided, once, right after it is stored. A retry ('queued' again) is not an outcome.
void applyCounted(state::Outbox& outbox, const std::string& notifier,
                  const std::vector<state::OutboxTransition>& changes, std::int64_t now_ms) {
  outbox.apply(changes, now_ms);
  for (const auto& c : changes) {
    if (c.status != "queued") countMessages(notifier, c.status.c_str(), 1);
  }
}

/// Expired rows per notifier: expireOverdue() answers only a total, so the difference of the
/// per-notifier counts around it names who they belonged to (read only when it moved some).
std::map<std::string, std::int64_t> expiredPerNotifier(state::Outbox& outbox) {
  std::map<std::string, std::int64_t> out;
  for (const auto& [key, n] : outbox.countsByNotifier()) {
    if (key.second == "expired") out[key.first] = n;
  }
  return out;
}

std::int64_t expireCounted(state::Outbox& outbox, std::int64_t now_ms) {
  const auto before = expiredPerNotifier(outbox);
  const std::int64_t moved = outbox.expireOverdue(now_ms);
  if (moved == 0) return 0;
  for (const auto& [notifier, n] : expiredPerNotifier(outbox)) {
    const auto was = before.find(notifier);
    countMessages(notifier, "expired", n - (was == before.end() ? 0 : was->second));
  }
  return moved;
}

plugin::Message toMessage(const state::MessageRecord& m) {
  // The row id is unique for ever, so it makes a reference unique in any batch.
  return {m.recipient, m.text, m.originator, "ms-" + std::to_string(m.id)};
}

}  // namespace

const std::string& drainerId() { return state::processHolderId(); }

OutboxDrain::OutboxDrain(NotifierPool& pool, state::StateStore& store, DrainSettings settings)
    : OutboxDrain([&pool](const std::string& name) { return pool.get(name); }, store,
                  std::move(settings)) {}

OutboxDrain::OutboxDrain(Lookup notifiers, state::StateStore& store, DrainSettings settings)
    : notifiers_(std::move(notifiers)), store_(store), settings_(std::move(settings)) {
  if (settings_.holder.empty()) settings_.holder = drainerId();
}

DrainCounts OutboxDrain::drainOnce(std::int64_t now_ms) {
  DrainCounts counts;
  state::Outbox outbox(store_);
  counts.requeued = outbox.requeueStale(now_ms, settings_.in_flight_timeout.count(),
                                        settings_.holder);
  counts.expired = expireCounted(outbox, now_ms);
  const auto notifiers =
      settings_.notifiers.empty() ? outbox.notifiersWithQueued() : settings_.notifiers;
  for (const auto& n : notifiers) drainNotifier(n, now_ms, counts);
  return counts;
}

void OutboxDrain::drainNotifier(const std::string& notifier, std::int64_t now_ms,
                                DrainCounts& counts) {
  state::Outbox outbox(store_);
  state::SuppressionList suppressions(store_);
  auto rows = outbox.claimDue(notifier, settings_.holder, now_ms, settings_.batch_limit);
  if (rows.empty()) return;
  Settler settler(settings_, counts);

  std::vector<state::MessageRecord> to_send;
  for (auto& m : rows) {
    // The confirmation of an opt-out goes to a number that has just been suppressed.
    if (m.rule != kOptoutConfirmationRule && suppressions.contains(m.recipient)) {
      ++counts.suppressed;
      applyCounted(outbox, notifier, {{m.id, "suppressed", "", "recipient opted out", 0}},
                   values::nowMs());
    } else {
      to_send.push_back(std::move(m));
    }
  }
  if (to_send.empty()) return;

  auto instance = notifiers_(notifier);
  if (!instance) {
    std::vector<state::OutboxTransition> changes;
    for (const auto& m : to_send) {
      changes.push_back(instance.error().retryable()
                            ? settler.later(m, instance.error().message(), now_ms)
                            : settler.refused(m, instance.error().message()));
    }
    applyCounted(outbox, notifier, changes, values::nowMs());
    if (!instance.error().retryable()) counts.fatal = instance.error();
    counts.problems.push_back(instance.error().message());
    return;
  }
  NotifierInstance& n = **instance;
  std::int64_t dropped = 0;
  Status fatal;
  // Whole-call failure: retryable ones are tried again later, the rest fail with it.
  auto callFailed = [&](const std::vector<state::MessageRecord>& group, const Status& error) {
    std::vector<state::OutboxTransition> changes;
    for (const auto& m : group) {
      changes.push_back(error.retryable() ? settler.later(m, error.message(), now_ms)
                                          : settler.refused(m, error.message()));
    }
    applyCounted(outbox, notifier, changes, values::nowMs());
    if (!error.retryable()) fatal = error;
  };

  if (settings_.batch && n.bulk != nullptr && to_send.size() > 1) {
    std::vector<plugin::Message> batch;
    for (const auto& m : to_send) batch.push_back(toMessage(m));
    plugin::BatchOptions options{settings_.batch_name};
    auto r = guardedResult<std::vector<plugin::Delivery>>(
        n.plugin, [&] { return n.bulk->sendBatch(batch, options); });
    if (r && r->size() != batch.size()) {
      r = Status::pluginFailure(n.plugin, "sendBatch returned " + std::to_string(r->size()) +
                                              " deliveries for " + std::to_string(batch.size()) +
                                              " messages");
    }
    if (!r) {
      callFailed(to_send, r.error());
    } else {
      std::vector<state::OutboxTransition> changes;
      for (std::size_t k = 0; k < to_send.size(); ++k) {
        changes.push_back(settle(settler, to_send[k], (*r)[k], now_ms));
        if ((*r)[k].outcome == plugin::Delivery::Outcome::Drop) ++dropped;
      }
      applyCounted(outbox, notifier, changes, values::nowMs());
    }
  } else {
    for (std::size_t k = 0; k < to_send.size(); ++k) {
      const auto& m = to_send[k];
      auto r = guardedResult<plugin::Delivery>(n.plugin,
                                               [&] { return n.notifier->send(toMessage(m)); });
      if (!r) {
        if (!r.error().retryable()) {
          // The call itself was refused (credentials, configuration): the rest would be too.
          callFailed({to_send.begin() + static_cast<std::ptrdiff_t>(k), to_send.end()},
                     r.error());
          break;
        }
        callFailed({m}, r.error());
        continue;
      }
      if (r->outcome == plugin::Delivery::Outcome::Drop) ++dropped;
      // Written before the next send: a crash leaves only the message on the wire in doubt.
      applyCounted(outbox, notifier, {settle(settler, m, *r, now_ms)}, values::nowMs());
    }
  }
  if (!fatal.isOk()) {
    counts.fatal = fatal;
    counts.problems.push_back("notifier " + notifier + " refused the call, nothing more sent "
                              "through it this pass: " + fatal.message());
  }
  if (dropped > 0) {
    counts.problems.push_back(std::to_string(dropped) + " message(s) via " + notifier +
                              " refused by the provider (see state messages)");
  }
}

DrainCounts OutboxDrain::drainUntilSettled(
    std::int64_t deadline_ms, const std::function<void(std::chrono::milliseconds)>& sleep) {
  DrainCounts total;
  state::Outbox outbox(store_);
  for (;;) {
    add(total, drainOnce(values::nowMs()));
    const auto notifiers =
        settings_.notifiers.empty() ? outbox.notifiersWithQueued() : settings_.notifiers;
    std::optional<std::int64_t> due;
    for (const auto& n : notifiers) {
      const auto d = outbox.nextDue(n);
      if (d && (!due || *d < *due)) due = d;
    }
    const std::int64_t now = values::nowMs();
    if (!due || now >= deadline_ms) break;
    const auto wait = std::chrono::milliseconds(std::clamp<std::int64_t>(*due - now, 0,
                                                                         deadline_ms - now));
    if (sleep) {
      sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
  return total;
}

DrainCounts drainOnce(NotifierPool& pool, state::StateStore& store, std::int64_t now_ms) {
  return OutboxDrain(pool, store).drainOnce(now_ms);
}

}  // namespace mobisync::notify
