// SPDX-License-Identifier: Apache-2.0
// Dispatcher: rules to messages, the message log's claims, sending, and recording outcomes.
#include "notify/dispatcher.hpp"

#include <chrono>
#include <map>
#include <variant>

#include <Poco/Logger.h>

#include "mobisync/sms/encoding.hpp"
#include "values/message_template.hpp"
#include "state/message_log.hpp"

namespace mobisync::notify {

namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

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

  state::MessageLog messages(store_);
  for (auto& [via, pending] : by_notifier) {
    std::vector<state::MessageRecord> records;
    records.reserve(pending.size());
    for (const auto& p : pending) records.push_back(p.record);
    std::vector<std::int64_t> ids = messages.claim(records, nowMs());

    // Claimed rows: those that failed to render are recorded at once; the rest are sent.
    std::vector<state::MessageOutcome> outcomes;
    std::vector<plugin::Message> to_send;
    std::vector<std::size_t> sent_index;
    std::int64_t render_failures = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (ids[i] == 0) {
        ++counts.skipped;
        continue;
      }
      Pending& p = pending[i];
      if (!p.render_error.empty()) {
        ++counts.failed;
        ++render_failures;
        outcomes.push_back({ids[i], "failed", "", p.render_error, p.record.parts,
                            p.record.encoding});
        continue;
      }
      // The log's row id is unique for ever, so it makes a reference unique in any batch.
      to_send.push_back({p.record.recipient, p.text, p.originator, "ms-" + std::to_string(ids[i])});
      sent_index.push_back(i);
    }
    if (render_failures > 0) {
      counts.problems.push_back(std::to_string(render_failures) + " message(s) via " + via +
                                " not sent: a template field had no value (see state messages)");
    }
    if (!to_send.empty()) {
      auto instance = pool_.get(via);
      if (!instance) {
        for (auto i : sent_index) {
          outcomes.push_back({ids[i], "failed", "", instance.error().message(),
                              pending[i].record.parts, pending[i].record.encoding});
        }
        counts.failed += static_cast<std::int64_t>(sent_index.size());
        counts.problems.push_back(instance.error().message());
      } else {
        plugin::BatchOptions options{"mobisync " + run.job + " run " + std::to_string(run.run_id)};
        SendReport report = sendAll(**instance, to_send, options, retry_);
        std::int64_t dropped = 0, failed = 0;
        for (std::size_t k = 0; k < to_send.size(); ++k) {
          const std::size_t i = sent_index[k];
          const SendOutcome& o = report.outcomes[k];
          const char* status = o.kind == SendOutcome::Kind::Sent      ? "sent"
                               : o.kind == SendOutcome::Kind::Dropped ? "dropped"
                                                                      : "failed";
          outcomes.push_back({ids[i], status, o.message_id, o.detail, pending[i].record.parts,
                              pending[i].record.encoding});
          if (o.kind == SendOutcome::Kind::Sent) {
            ++counts.sent;
          } else {
            ++counts.failed;
            ++(o.kind == SendOutcome::Kind::Dropped ? dropped : failed);
          }
        }
        if (!report.fatal.isOk()) {
          counts.problems.push_back("notifier " + via + " refused the call, nothing more sent "
                                    "through it this run: " + report.fatal.message());
        }
        if (dropped > 0) {
          counts.problems.push_back(std::to_string(dropped) + " message(s) via " + via +
                                    " refused by the provider (see state messages)");
        }
        if (failed > 0 && report.fatal.isOk()) {
          counts.problems.push_back(std::to_string(failed) + " message(s) via " + via +
                                    " not accepted after retries (see state messages)");
        }
      }
    }
    messages.record(outcomes, nowMs());
    if (to_send.empty()) continue;
    if (auto instance = pool_.get(via); instance && (*instance)->receipts != nullptr) {
      counts.receipts += storeReceipts(**instance, store_);
    }
  }
  for (const auto& p : counts.problems) log.warning("job %s: %s", run.job, p);
  return counts;
}

std::string receiptStatus(const std::string& s) {
  static const std::map<std::string, std::string> kNames = {
      {"DELIVRD", "delivered"}, {"UNDELIV", "undeliverable"}, {"EXPIRED", "expired"},
      {"REJECTD", "rejected"},  {"DELETED", "deleted"},       {"ACCEPTD", "accepted"},
      {"ENROUTE", "enroute"},
  };
  auto it = kNames.find(s);
  return it != kNames.end() ? it->second : "unknown";
}

std::int64_t storeReceipts(NotifierInstance& n, state::StateStore& store) {
  std::vector<plugin::Receipt> receipts;
  try {
    receipts = n.receipts->takeReceipts();
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.notify")
        .warning("notifier %s: takeReceipts threw: %s", n.name, std::string(e.what()));
    return 0;
  } catch (...) {
    return 0;
  }
  state::MessageLog messages(store);
  std::int64_t matched = 0;
  for (const auto& r : receipts) {
    std::string detail = "receipt " + r.state + " error " + r.error;
    if (messages.recordReceipt(n.name, r.message_id, receiptStatus(r.state), detail, nowMs())) {
      ++matched;
    }
  }
  return matched;
}

}  // namespace mobisync::notify
