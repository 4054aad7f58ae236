// SPDX-License-Identifier: Apache-2.0
// Dispatcher: rules to messages, written to the outbox, then the outbox drained.
#include "notify/dispatcher.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <variant>

#include <Poco/Logger.h>

#include "mobisync/sms/encoding.hpp"
#include "values/message_template.hpp"
#include "notify/receipt_pump.hpp"
#include "state/outbox.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::notify {

namespace {

/// How long a run waits for its messages to settle (retries included) before it returns; what
/// is still queued then is sent by the next run or the daemon.
constexpr std::int64_t kSettleLimitMs = 5 * 60 * 1000;

using values::nowMs;

/// A message on its way: the log row it will become and the text to send.
struct Pending {
  state::MessageRecord record;
  std::string text;
  std::string originator;
  std::string render_error;  ///< set: never sent, recorded failed with this
};

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

void prepare(const config::NotifyRule& rule, const std::string& job,
             const std::string& dedup_key, const std::string& recipient, const Lookup& lookup,
             std::vector<Pending>& out) {
  Pending p;
  p.record.dedup_key = dedup_key;
  p.record.job = job;
  p.record.rule = rule.name;
  p.record.event = values::eventName(rule.event);
  p.record.notifier = rule.via;
  p.record.recipient = recipient;
  p.originator = rule.originator;
  auto parsed = values::MessageTemplate::parse(rule.template_text);
  if (auto* t = std::get_if<values::MessageTemplate>(&parsed)) {
    auto text = t->render(lookup);
    if (text) {
      p.text = std::move(text).value();
      auto encoded = sms::encode(p.text);
      if (encoded) {
        p.record.parts = static_cast<std::int64_t>(encoded->partCount());
        p.record.encoding = sms::codingName(encoded->coding);
      } else {
        p.render_error = encoded.error().message();
      }
    } else {
      p.render_error = text.error().message();
    }
  } else {
    p.render_error = std::get<values::TemplateError>(parsed).message;  // checked at load; defensive
  }
  out.push_back(std::move(p));
}

}  // namespace

bool Dispatcher::hasRules(const std::string& job) const {
  for (const auto& r : rules_) {
    if (r.appliesTo(job)) return true;
  }
  return false;
}

NotifyCounts Dispatcher::notify(const RunFacts& run, const std::vector<ContactEvent>& contacts) {
  Poco::Logger& log = Poco::Logger::get("mobisync.notify");
  NotifyCounts counts;
  // Per notifier, contact messages first (one batch), then job messages.
  std::map<std::string, std::vector<Pending>> by_notifier;
  for (const auto& rule : rules_) {
    if (!rule.appliesTo(run.job)) continue;
    if (values::isContactEvent(rule.event)) {
      const char* what = rule.event == values::Event::ContactAdded ? "added" : "removed";
      for (const auto& c : contacts) {
        if (c.event != rule.event) continue;
        Lookup lookup = [&](const std::string& f) -> std::optional<std::string> {
          if (f == "name") return c.name;
          if (f == "msisdn") return c.msisdn;
          if (f == "reference") return c.reference;
          if (f == "job") return run.job;
          for (const auto& [k, v] : c.attributes) {
            if (k == f) return v;
          }
          return std::nullopt;
        };
        const std::string base = run.job + "/" + rule.name + "/" + what + "/" + c.msisdn;
        if (rule.to_contact) {
          prepare(rule, run.job, base, c.msisdn, lookup, by_notifier[rule.via]);
        }
        for (const auto& admin : rule.to) {
          prepare(rule, run.job, base + "/" + admin, admin, lookup, by_notifier[rule.via]);
        }
      }
      continue;
    }
    if (rule.event != run.outcome) continue;
    Lookup lookup = [&](const std::string& f) -> std::optional<std::string> {
      if (f == "job") return run.job;
      if (f == "error") return run.error;
      // A job event offers the counts values::builtinFields lists, which leave out {fetched}.
      if (f == "fetched") return std::nullopt;
      if (auto count = state::countNamed(run, f)) return std::to_string(*count);
      return std::nullopt;
    };
    const std::string base = run.job + "/" + rule.name + "/" + values::eventName(rule.event) + "/run-" +
                             std::to_string(run.run_id);
    for (const auto& admin : rule.to) {
      prepare(rule, run.job, base + "/" + admin, admin, lookup, by_notifier[rule.via]);
    }
  }

  // Every message is written to the outbox first; then the outbox is drained, so a sync returns
  // once its messages are submitted (or known to have failed).
  std::vector<notify::QueuedMessage> outgoing;
  std::vector<std::string> render_errors, vias;
  // Every notifier a rule of this job uses is drained, also without new messages: what a
  // killed run left queued or sending goes out with the next run.
  for (const auto& rule : rules_) {
    if (rule.appliesTo(run.job) &&
        std::find(vias.begin(), vias.end(), rule.via) == vias.end()) {
      vias.push_back(rule.via);
    }
  }
  for (auto& [via, pending] : by_notifier) {
    for (auto& p : pending) {
      outgoing.push_back({p.record.dedup_key, via, p.record.recipient, std::move(p.text),
                          p.originator, p.record.job, p.record.rule, p.record.event, 0});
      render_errors.push_back(p.render_error);
    }
  }
  const std::int64_t at = nowMs();
  std::vector<std::int64_t> ids = enqueueMessages(store_, outgoing, at);
  std::vector<state::OutboxTransition> unrendered;
  std::map<std::string, std::int64_t> render_failures;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == 0) {
      ++counts.skipped;
    } else if (!render_errors[i].empty()) {
      unrendered.push_back({ids[i], "failed", "", render_errors[i], 0});
      ++render_failures[outgoing[i].notifier];
      ++counts.failed;
    }
  }
  state::Outbox(store_).apply(unrendered, at);
  for (const auto& [via, n] : render_failures) {
    counts.problems.push_back(std::to_string(n) + " message(s) via " + via +
                              " not sent: a template field had no value (see state messages)");
  }
  if (!vias.empty()) {
    DrainSettings settings = drain_;
    settings.notifiers = vias;
    settings.batch_name = "mobisync " + run.job + " run " + std::to_string(run.run_id);
    DrainCounts drained = OutboxDrain(pool_, store_, settings)
                              .drainUntilSettled(nowMs() + kSettleLimitMs, sleep_);
    counts.sent += drained.submitted;
    counts.failed += drained.failed + drained.expired;
    for (auto& p : drained.problems) counts.problems.push_back(std::move(p));
    // Only notifiers that sent: asking the pool would open (bind) the others for nothing.
    for (const auto& via : drained.submitted > 0 ? vias : std::vector<std::string>{}) {
      if (auto instance = pool_.get(via); instance && (*instance)->receipts != nullptr) {
        counts.receipts += storeReceipts(**instance, store_);
      }
    }
  }
  for (const auto& p : counts.problems) log.warning("job %s: %s", run.job, p);
  return counts;
}

}  // namespace mobisync::notify
