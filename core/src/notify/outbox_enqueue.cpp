// SPDX-License-Identifier: Apache-2.0
// enqueueMessages(): counts parts and names the encoding, then writes the rows as queued.
#include <optional>

#include "mobisync/sms/encoding.hpp"
#include "notify/outbox_drain.hpp"
#include "state/outbox.hpp"

namespace mobisync::notify {

std::vector<std::int64_t> enqueueMessages(state::StateStore& store,
                                          const std::vector<QueuedMessage>& messages,
                                          std::int64_t now_ms) {
  std::vector<state::MessageRecord> records;
  std::vector<std::optional<std::string>> errors;
  for (const auto& m : messages) {
    state::MessageRecord r;
    r.dedup_key = m.dedup_key;
    r.job = m.job;
    r.rule = m.rule;
    r.event = m.event;
    r.notifier = m.notifier;
    r.recipient = m.recipient;
    r.text = m.text;
    r.originator = m.originator;
    r.expires_at_ms = m.expires_at_ms != 0 ? m.expires_at_ms : now_ms + kDefaultValidityMs;
    auto encoded = sms::encode(m.text);
    if (!m.error.empty()) {
      errors.emplace_back(m.error);
    } else if (encoded) {
      r.parts = static_cast<std::int64_t>(encoded->partCount());
      r.encoding = sms::codingName(encoded->coding);
      errors.emplace_back();
    } else {
      errors.emplace_back(encoded.error().message());
    }
    records.push_back(std::move(r));
  }
  state::Outbox outbox(store);
  auto ids = outbox.enqueue(records, now_ms);
  // A text no SMS can carry is kept (so `state messages` shows why) but never sent.
  std::vector<state::OutboxTransition> failed;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != 0 && errors[i]) failed.push_back({ids[i], "failed", "", *errors[i], 0});
  }
  outbox.apply(failed, now_ms);
  return ids;
}

std::int64_t enqueueMessage(state::StateStore& store, const QueuedMessage& message,
                            std::int64_t now_ms) {
  return enqueueMessages(store, {message}, now_ms).front();
}

}  // namespace mobisync::notify
