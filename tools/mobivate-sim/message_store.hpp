// SPDX-License-Identifier: Apache-2.0
// Every message the simulated send APIs (JSON, Simple, SMPP) accepted, for tests to inspect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mobisync::sim {

/// One accepted message. Empty strings stand for fields the client did not send.
struct SentMessage {
  std::string id;
  std::string api;  // "single", "batch", "simple" or "smpp"
  std::string campaign_id;
  std::string originator;
  std::string recipient;
  std::string text;
  std::string route_id;
  std::string reference;
  std::size_t parts = 0;
  std::string coding;  // "GSM-7" or "UCS-2"
  std::int64_t accepted_at_ms = 0;  // wall clock (Unix ms) when recorded; set by MessageStore
};

/// Thread-safe, append-only until clear(); keeps acceptance order.
class MessageStore {
 public:
  void record(SentMessage message);
  void record(std::vector<SentMessage> messages);  // one batch, kept together

  std::vector<SentMessage> snapshot() const;
  std::size_t size() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<SentMessage> messages_;
};

}  // namespace mobisync::sim
