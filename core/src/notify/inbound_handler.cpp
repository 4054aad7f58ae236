// SPDX-License-Identifier: Apache-2.0
// InboundHandler: store, link, act on keywords, confirm, fire the inbound [[notify]] rules.
#include "notify/inbound_handler.hpp"

#include <chrono>
#include <utility>

#include <Poco/Logger.h>

#include "notify/optout_keywords.hpp"
#include "state/received_messages.hpp"
#include "state/suppression_list.hpp"
#include "values/message_template.hpp"

namespace mobisync::notify {

namespace {

// A reply answers the latest message sent to that number within this long, when the provider
// does not say which one it answers.
constexpr std::int64_t kReplyWindowMs = 7LL * 24 * 3600 * 1000;

std::int64_t systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Poco::Logger& logger() { return Poco::Logger::get("mobisync.inbound"); }

}  // namespace

const char* inboundActionName(InboundAction a) {
  switch (a) {
    case InboundAction::OptedOut: return "opted_out";
    case InboundAction::OptedIn: return "opted_in";
    case InboundAction::None: break;
  }
  return "none";
}

InboundHandler::InboundHandler(const config::AppConfig& config, state::StateStore& store,
                               OptoutSubscriber* subscriber, Enqueue enqueue)
    : clock(systemNowMs),
      config_(config),
      store_(store),
      subscriber_(subscriber),
      enqueue_(enqueue ? std::move(enqueue) : outboxEnqueue(store)) {}

InboundResult InboundHandler::handle(const plugin::InboundMessage& message,
                                     const std::string& notifier) {
  const std::int64_t now = clock();
  const auto& settings = config_.optouts;
  InboundResult result;
  auto match = matchKeyword(settings, message.text);
  if (match) {
    result.action = match->opt_out ? InboundAction::OptedOut : InboundAction::OptedIn;
    result.keyword = match->keyword;
    result.language = match->language->code;
  }

  state::ReceivedMessages received(store_);
  state::ReceivedMessage row;
  row.dedup_key = state::inboundDedupKey(message, notifier);
  row.notifier = notifier;
  row.provider_id = message.id;
  row.originator = message.from;
  row.recipient = message.to;
  row.body = message.text;
  row.received_at_ms = message.received_at_ms != 0 ? message.received_at_ms : now;
  row.stored_at_ms = now;
  row.in_reply_to = received.findAnswered(notifier, message.in_reply_to, message.from,
                                          row.received_at_ms - kReplyWindowMs);
  row.action = result.action == InboundAction::None ? "" : inboundActionName(result.action);
  auto id = received.store(row);
  if (!id) {
    // A repeat (the SMSC or the webhook delivered it again): acted on the first time.
    result.action = InboundAction::None;
    return result;
  }
  result.stored = true;
  result.id = *id;
  result.in_reply_to = row.in_reply_to;

  if (match) applyKeyword(*match, message.from, result, now);
  if (match && match->opt_out) {
    fireRules(values::Event::ContactOptedOut, message, notifier, result, now);
  }
  fireRules(values::Event::MessageReceived, message, notifier, result, now);
  if (match) confirm(*match, message.from, notifier, result, now);
  logger().information("received a message from %s via %s: %s", message.from, notifier,
                       std::string(inboundActionName(result.action)));
  return result;
}

void InboundHandler::applyKeyword(const KeywordMatch& match, const std::string& msisdn,
                                  InboundResult& result, std::int64_t now) {
  state::SuppressionList suppressions(store_);
  const bool sync = config_.optouts.sync_provider && subscriber_ != nullptr;
  std::string error;
  if (match.opt_out) {
    // Already suppressed (imported, or an earlier STOP): nothing more to tell the provider.
    if (!suppressions.add(msisdn, "sms", "reply", match.keyword, now) || !sync) return;
    if (subscriber_->subscribe(msisdn, error)) {
      suppressions.markProviderSynced(msisdn, "sms", now);
      result.provider_synced = true;
    } else {
      logger().warning("opt-out of %s not yet at the provider (tried again later): %s", msisdn,
                       error);
    }
    return;
  }
  auto was = suppressions.find(msisdn, "sms");
  if (!was) return;
  suppressions.remove(msisdn, "sms");
  // optouts:sms is removed only when we put it there; the provider's own opt-outs stay its own.
  if (!sync || was->origin != "reply" || was->provider_synced_at_ms == 0) return;
  if (subscriber_->unsubscribe(msisdn, error)) {
    result.provider_synced = true;
  } else {
    logger().warning("opt-in of %s not removed at the provider: %s", msisdn, error);
  }
}

void InboundHandler::confirm(const KeywordMatch& match, const std::string& msisdn,
                             const std::string& notifier, InboundResult& result,
                             std::int64_t now) {
  const std::string& text =
      match.opt_out ? match.language->confirmation : match.language->reverse_confirmation;
  if (text.empty() || !enqueue_) return;
  OutgoingMessage m;
  m.dedup_key = "reply/" + std::to_string(result.id) + "/" + kConfirmationRule;
  m.rule = kConfirmationRule;
  m.event = values::eventName(values::Event::MessageReceived);
  m.notifier = config_.optouts.notifier.empty() ? notifier : config_.optouts.notifier;
  m.recipient = msisdn;
  m.text = text;
  result.reply_enqueued = enqueue_(m, now);
}

void InboundHandler::fireRules(values::Event event, const plugin::InboundMessage& message,
                               const std::string& notifier, InboundResult& result,
                               std::int64_t now) {
  if (!enqueue_) return;
  auto lookup = [&](const std::string& f) -> std::optional<std::string> {
    if (f == "msisdn") return message.from;
    if (f == "text") return message.text;
    if (f == "keyword") return result.keyword;
    if (f == "notifier") return notifier;
    return std::nullopt;
  };
  for (const auto& rule : config_.notify_rules) {
    if (rule.event != event) continue;
    auto parsed = values::MessageTemplate::parse(rule.template_text);
    auto* tpl = std::get_if<values::MessageTemplate>(&parsed);
    if (tpl == nullptr) continue;  // checked at load
    auto text = tpl->render(lookup);
    if (!text) {
      logger().warning("[[notify]] %s: %s", rule.name, text.error().message());
      continue;
    }
    std::vector<std::string> recipients = rule.to;
    if (rule.to_contact) recipients.insert(recipients.begin(), message.from);
    for (const auto& to : recipients) {
      OutgoingMessage m;
      m.dedup_key = "reply/" + std::to_string(result.id) + "/" + rule.name + "/" + to;
      m.rule = rule.name;
      m.event = values::eventName(event);
      m.notifier = rule.via;
      m.recipient = to;
      m.originator = rule.originator;
      m.text = *text;
      if (enqueue_(m, now)) ++result.rule_messages;
    }
  }
}

int InboundHandler::syncPending() {
  if (subscriber_ == nullptr || !config_.optouts.sync_provider) return 0;
  state::SuppressionList suppressions(store_);
  int synced = 0;
  for (const auto& s : suppressions.unsynced("reply")) {
    std::string error;
    if (!subscriber_->subscribe(s.msisdn, error)) {
      logger().warning("opt-out of %s still not at the provider: %s", s.msisdn, error);
      continue;
    }
    suppressions.markProviderSynced(s.msisdn, s.channel, clock());
    ++synced;
  }
  return synced;
}

}  // namespace mobisync::notify
