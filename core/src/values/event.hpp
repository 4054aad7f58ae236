// SPDX-License-Identifier: Apache-2.0
// Event: what a [[notify]] rule fires on, and which template fields each event offers.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace mobisync::values {

enum class Event { ContactAdded, ContactRemoved, JobSucceeded, JobFailed, JobBlocked };

/// "contact.added", ... as written in the config.
const char* eventName(Event e);
std::optional<Event> parseEvent(std::string_view name);
/// Every event's name, for error messages.
const char* eventNames();

/// Contact events concern one person (sent to them or about them); job events one run.
bool isContactEvent(Event e);

/// The fields an event always offers. Contact events also accept any attribute name the source
/// may carry (checked at send time, since sources are open-ended).
std::span<const std::string_view> builtinFields(Event e);

}  // namespace mobisync::values
