// SPDX-License-Identifier: Apache-2.0
// Event names and the fields each event offers to templates.
#include "values/event.hpp"

namespace mobisync::values {

namespace {

struct EventInfo {
  Event event;
  const char* name;
};

constexpr EventInfo kEvents[] = {
    {Event::ContactAdded, "contact.added"},   {Event::ContactRemoved, "contact.removed"},
    {Event::JobSucceeded, "job.succeeded"},   {Event::JobFailed, "job.failed"},
    {Event::JobBlocked, "job.blocked"},     {Event::MessageReceived, "message.received"},
    {Event::ContactOptedOut, "contact.opted_out"},
};

constexpr std::string_view kContactFields[] = {"name", "msisdn", "reference", "job"};
constexpr std::string_view kJobFields[] = {"job",      "added",  "removed", "updated",
                                           "rejected", "failed", "held",    "error"};
constexpr std::string_view kInboundFields[] = {"msisdn", "text", "keyword", "notifier"};

}  // namespace

const char* eventName(Event e) {
  for (const auto& i : kEvents) {
    if (i.event == e) return i.name;
  }
  return "?";
}

std::optional<Event> parseEvent(std::string_view name) {
  for (const auto& i : kEvents) {
    if (name == i.name) return i.event;
  }
  return std::nullopt;
}

const char* eventNames() {
  return "contact.added, contact.removed, job.succeeded, job.failed, job.blocked,"
         " message.received or contact.opted_out";
}

bool isContactEvent(Event e) { return e == Event::ContactAdded || e == Event::ContactRemoved; }

bool isInboundEvent(Event e) {
  return e == Event::MessageReceived || e == Event::ContactOptedOut;
}

bool concernsOneNumber(Event e) { return isContactEvent(e) || isInboundEvent(e); }

std::span<const std::string_view> builtinFields(Event e) {
  if (isContactEvent(e)) return kContactFields;
  if (isInboundEvent(e)) return kInboundFields;
  return kJobFields;
}

}  // namespace mobisync::values
