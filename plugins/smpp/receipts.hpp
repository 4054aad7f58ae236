// SPDX-License-Identifier: Apache-2.0
// Delivery receipts: read from deliver_sm, matched to the message ids send() reported.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "smpp_pdu/pdu.hpp"

namespace mobisync::plugins::smpp {

/// The receipt a deliver_sm carries, or nullopt when it carries none (a mobile-originated
/// message). TLVs receipted_message_id and message_state win over the text's id and stat.
std::optional<plugin::Receipt> receiptFrom(const mobisync::smpp::ShortMessage& deliver);

/// True for the states after which nothing more happens to a message.
bool isFinalState(const std::string& state);

/// Maps the message ids of submitted parts to the id send() reported for the whole message (its
/// first part's), whether the SMSC writes them in hex or in decimal, and turns the receipts of a
/// long message's parts into one receipt once every part has a final state (the first part that
/// failed decides it, else DELIVRD). Parts are registered as their submit_sm_resp arrives, so a
/// receipt that follows at once still finds them; a receipt for an id not (yet) registered waits
/// up to `grace` for it (with tx_rx binds the receipt may overtake the response on another
/// connection), then passes through with the id as received (sent before a restart). Remembers
/// at most `capacity` messages, forgetting the oldest. A receipt repeated after its message was
/// finished (SMSCs repeat some) still gets the message's id, for as long as the finished message
/// is among the last `capacity` finished. Thread-safe.
class ReceiptMatcher {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ReceiptMatcher(std::size_t capacity = 200000,
                          std::chrono::milliseconds grace = std::chrono::seconds(5))
      : capacity_(capacity), grace_(grace) {}

  /// A message of `parts` parts is being sent; returns its key for accepted().
  std::uint64_t open(std::size_t parts);
  /// Part `index` of message `key` was accepted under `message_id`.
  void accepted(std::uint64_t key, std::size_t index, const std::string& message_id);
  /// open() and accepted() for every part at once (the first part's id is the message's).
  void expect(const std::vector<std::string>& part_ids);

  /// Files one receipt as it came from the SMSC; what is ready goes to take().
  void add(const plugin::Receipt& raw);

  /// Every receipt ready since the last call.
  std::vector<plugin::Receipt> take();

 private:
  struct Part {
    std::string state;
    std::string error;
    std::int64_t done_at_ms = 0;
  };
  struct Entry {
    std::string delivery_id;  // the first part's id, once accepted
    std::vector<std::string> canonical_ids;
    std::vector<Part> parts;
  };
  struct Waiting {
    plugin::Receipt receipt;
    Clock::time_point since;
  };

  bool matchLocked(const plugin::Receipt& raw);
  void forgetLocked(std::uint64_t key);
  /// Forgets `key`, remembering its parts' ids as finished.
  void finishLocked(std::uint64_t key);

  std::mutex mutex_;
  std::size_t capacity_;
  std::chrono::milliseconds grace_;
  std::uint64_t next_key_ = 0;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::deque<std::uint64_t> order_;  // keys, oldest first (may hold forgotten ones)
  std::unordered_map<std::string, std::pair<std::uint64_t, std::size_t>> by_id_;  // canonical
  std::unordered_map<std::string, std::string> finished_;  // canonical part id -> delivery id
  std::deque<std::string> finished_order_;
  std::vector<Waiting> unmatched_;
  std::vector<plugin::Receipt> ready_;
};

}  // namespace mobisync::plugins::smpp
