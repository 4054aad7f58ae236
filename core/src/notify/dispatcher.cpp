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

using Lookup = std::function<std::optional<std::string>(const std::string&)>;

/// The rule's message to `recipient`, rendered; a template field without a value leaves the
/// message's `error` set (it is kept as failed, never sent).
QueuedMessage prepare(const config::NotifyRule& rule, const std::string& job,
                      const std::string& dedup_key, const std::string& recipient,
                      const Lookup& lookup) {
  QueuedMessage m;
  m.dedup_key = dedup_key;
  m.notifier = rule.via;
  m.recipient = recipient;
  m.originator = rule.originator;
  m.job = job;
  m.rule = rule.name;
  m.event = values::eventName(rule.event);
  auto parsed = values::MessageTemplate::parse(rule.template_text);
  if (auto* t = std::get_if<values::MessageTemplate>(&parsed)) {
    auto text = t->render(lookup);
    if (text) {
      m.text = std::move(text).value();
    } else {
      m.error = text.error().message();
    }
  } else {
    m.error = std::get<values::TemplateError>(parsed).message;  // checked at load; defensive
  }
  return m;
}

}  // namespace

bool Dispatcher::hasRules(const std::string& job) const {
  for (const auto& r : rules_) {
    if (r.appliesTo(job)) return true;
  }
  return false;
}

std::vector<QueuedMessage> Dispatcher::contactMessages(
    const std::string& job, const std::vector<ContactEvent>& contacts) const {
  std::vector<QueuedMessage> out;
  for (const auto& rule : rules_) {
    if (!rule.appliesTo(job) || !values::isContactEvent(rule.event)) continue;
    const char* what = rule.event == values::Event::ContactAdded ? "added" : "removed";
    for (const auto& c : contacts) {
      if (c.event != rule.event) continue;
      Lookup lookup = [&](const std::string& f) -> std::optional<std::string> {
        if (f == "name") return c.name;
        if (f == "msisdn") return c.msisdn;
        if (f == "reference") return c.reference;
        if (f == "job") return job;
        for (const auto& [k, v] : c.attributes) {
          if (k == f) return v;
        }
        return std::nullopt;
      };
      const std::string base = job + "/" + rule.name + "/" + what + "/" + c.msisdn;
      if (rule.to_contact) out.push_back(prepare(rule, job, base, c.msisdn, lookup));
      for (const auto& admin : rule.to) {
        out.push_back(prepare(rule, job, base + "/" + admin, admin, lookup));
      }
    }
  }
  return out;
}

std::string unrenderedProblem(const std::string& via, std::int64_t n) {
  return std::to_string(n) + " message(s) via " + via +
         " not sent: a template field had no value (see state messages)";
}

NotifyCounts Dispatcher::notify(const RunFacts& run, const std::vector<ContactEvent>& contacts) {
  Poco::Logger& log = Poco::Logger::get("mobisync.notify");
  NotifyCounts counts;
  // Contact messages first, then job messages.
  std::vector<QueuedMessage> outgoing = contactMessages(run.job, contacts);
  for (const auto& rule : rules_) {
    if (!rule.appliesTo(run.job) || values::isContactEvent(rule.event)) continue;
    if (rule.event != run.outcome) continue;
    Lookup lookup = [&](const std::string& f) -> std::optional<std::string> {
      if (f == "job") return run.job;
      if (f == "error") return run.error;
      // A job event offers the counts values::builtinFields lists, which leave out {fetched}.
      if (f == "fetched") return std::nullopt;
      if (auto count = state::countNamed(run, f)) return std::to_string(*count);
      return std::nullopt;
    };
    const std::string base = run.job + "/" + rule.name + "/" + values::eventName(rule.event) +
                             "/run-" + std::to_string(run.run_id);
    for (const auto& admin : rule.to) {
      outgoing.push_back(prepare(rule, run.job, base + "/" + admin, admin, lookup));
    }
  }

  // Every message is written to the outbox first; then the outbox is drained, so a sync returns
  // once its messages are submitted (or known to have failed).
  std::vector<std::string> vias;
  // Every notifier a rule of this job uses is drained, also without new messages: what a
  // killed run left queued or sending (or the apply queued batch by batch) goes out now.
  for (const auto& rule : rules_) {
    if (rule.appliesTo(run.job) &&
        std::find(vias.begin(), vias.end(), rule.via) == vias.end()) {
      vias.push_back(rule.via);
    }
  }
  std::vector<std::int64_t> ids = enqueueMessages(store_, outgoing, nowMs());
  std::map<std::string, std::int64_t> render_failures;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == 0) {
      ++counts.skipped;
    } else if (!outgoing[i].error.empty()) {
      ++render_failures[outgoing[i].notifier];
      ++counts.failed;
    }
  }
  for (const auto& [via, n] : render_failures) counts.problems.push_back(unrenderedProblem(via, n));
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
