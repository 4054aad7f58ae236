// SPDX-License-Identifier: Apache-2.0
// The simulator's record of accepted messages.
#include "message_store.hpp"

#include <iterator>

namespace mobisync::sim {

void MessageStore::record(SentMessage message) {
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(message));
}

void MessageStore::record(std::vector<SentMessage> messages) {
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
