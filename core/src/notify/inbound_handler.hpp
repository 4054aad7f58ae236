// SPDX-License-Identifier: Apache-2.0
// InboundHandler: what mobisync does with a message a handset sent: store it once, link it to the
// message it answers, act on opt-out keywords (STOP / START), confirm, and fire the
// message.received and contact.opted_out [[notify]] rules.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "state/state_store.hpp"
#include "values/event.hpp"

namespace mobisync::notify {

struct KeywordMatch;

enum class InboundAction { None, OptedOut, OptedIn };
/// "none", "opted_out", "opted_in": as stored in received_messages.action.
const char* inboundActionName(InboundAction a);

/// What handle() did with one message.
struct InboundResult {
  bool stored = false;     ///< false: a repeat of a message stored before; nothing else was done
  std::int64_t id = 0;     ///< received_messages.id (0 for a repeat)
  std::int64_t in_reply_to = 0;  ///< messages.id it answers; 0 when none was found
  InboundAction action = InboundAction::None;
  std::string keyword;     ///< the keyword as configured, when one matched
  std::string language;    ///< the language whose keyword matched
  bool reply_enqueued = false;   ///< a confirmation was put in the outbox
  int rule_messages = 0;         ///< [[notify]] messages put in the outbox
  bool provider_synced = false;  ///< optouts:sms was changed at the provider during this call
};

/// Subscribes and removes `optouts:sms` at the provider for one number (the proxy API). A seam
/// so the handler does not own connections; see ProxyOptoutSubscriber.
class OptoutSubscriber {
 public:
  virtual ~OptoutSubscriber() = default;
  /// True when the provider confirmed; false with `error` set otherwise (retried later).
  virtual bool subscribe(const std::string& msisdn, std::string& error) = 0;
  virtual bool unsubscribe(const std::string& msisdn, std::string& error) = 0;
};

/// One message for the outbox, as the handler asks for it.
struct OutgoingMessage {
  std::string dedup_key;
  std::string rule;  ///< the [[notify]] rule's name, or "optout-confirmation"
  std::string event;
  std::string notifier;
  std::string recipient;
  std::string originator;
  std::string text;
};
/// Puts one message in the outbox; false when its dedup_key was there already. A confirmation
/// (rule kConfirmationRule) goes to a number that just opted out: the drain must send it anyway.
using Enqueue = std::function<bool(const OutgoingMessage&, std::int64_t now_ms)>;
inline constexpr const char* kConfirmationRule = "optout-confirmation";
/// The outbox's own enqueue on `store` (notify::enqueueMessage), which must outlive it.
Enqueue outboxEnqueue(state::StateStore& store);

/// Not thread-safe; one per thread that handles inbound messages, like the store it borrows.
class InboundHandler {
 public:
  /// `config`, `store` and `subscriber` (may be null: the provider is not told) must outlive
  /// the handler. `enqueue` defaults to outboxEnqueue(store).
  InboundHandler(const config::AppConfig& config, state::StateStore& store,
                 OptoutSubscriber* subscriber, Enqueue enqueue = nullptr);

  /// Handles one message received through `notifier`. Throws StateError when the state fails
  /// (the caller keeps the message and tries again); a provider failure is not an error.
  InboundResult handle(const plugin::InboundMessage& message, const std::string& notifier);
  /// Sends the provider the opt-outs still unsynced (earlier failures); returns how many now are.
  int syncPending();

  /// The clock, in ms since the epoch; tests replace it.
  std::function<std::int64_t()> clock;

 private:
  void applyKeyword(const KeywordMatch& match, const std::string& msisdn, InboundResult& result,
                    std::int64_t now);
  void confirm(const KeywordMatch& match, const std::string& msisdn, const std::string& notifier,
               InboundResult& result, std::int64_t now);
  void fireRules(values::Event event, const plugin::InboundMessage& message,
                 const std::string& notifier, InboundResult& result, std::int64_t now);

  const config::AppConfig& config_;
  state::StateStore& store_;
  OptoutSubscriber* subscriber_;
  Enqueue enqueue_;
};

}  // namespace mobisync::notify
