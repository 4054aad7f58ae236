// SPDX-License-Identifier: Apache-2.0
// The simulator's record of accepted messages.
#include "message_store.hpp"

#include <chrono>
#include <iterator>

namespace mobisync::sim {

namespace {

// Acceptance times let benchmarks count messages per second on the SMSC's side.
std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

void MessageStore::record(SentMessage message) {
  message.accepted_at_ms = nowMs();
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(message));
}

void MessageStore::record(std::vector<SentMessage> messages) {
  const std::int64_t now = nowMs();
  for (SentMessage& message : messages) message.accepted_at_ms = now;
  std::lock_guard lock(mutex_);
  messages_.insert(messages_.end(), std::make_move_iterator(messages.begin()),
                   std::make_move_iterator(messages.end()));
}

std::vector<SentMessage> MessageStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::size_t MessageStore::size() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

void MessageStore::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

}  // namespace mobisync::sim
