// SPDX-License-Identifier: Apache-2.0
// Event: what a [[notify]] rule fires on, and which template fields each event offers.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace mobisync::values {

enum class Event {
  ContactAdded,
  ContactRemoved,
  JobSucceeded,
  JobFailed,
  JobBlocked,
  MessageReceived,  ///< a handset sent us a message (a reply, STOP, ...)
  ContactOptedOut,  ///< a reply opted its number out
};

/// "contact.added", ... as written in the config.
const char* eventName(Event e);
std::optional<Event> parseEvent(std::string_view name);
/// Every event's name, for error messages.
const char* eventNames();

/// Contact events concern one person (sent to them or about them); job events one run.
bool isContactEvent(Event e);
/// Inbound events concern the number that sent a message; they fire outside any job run, so
/// they offer only their own fields ({msisdn}, {text}, {keyword}, {notifier}).
bool isInboundEvent(Event e);
/// Whether a rule on `e` may be sent to the number concerned (`to = "contact"`).
bool concernsOneNumber(Event e);

/// The fields an event always offers. Contact events also accept any attribute name the source
/// may carry (checked at send time, since sources are open-ended).
std::span<const std::string_view> builtinFields(Event e);

}  // namespace mobisync::values
