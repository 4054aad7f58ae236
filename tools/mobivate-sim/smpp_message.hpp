// SPDX-License-Identifier: Apache-2.0
// What the SMSC makes of one submit_sm: its payload split from the UDH, decoding, reassembly of
// concatenated messages, and the delivery-receipt text it answers with.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "smpp_pdu/pdu.hpp"

namespace mobisync::sim {

/// One submit_sm's user data: the payload without UDH and, when it is one part of a
/// concatenated message (UDH IEI 0x00 or 0x08, or the sar_* TLVs), its place in the whole.
struct SmppPart {
  std::string payload;
  std::uint16_t reference = 0;
  std::uint8_t total = 1;
  std::uint8_t seqnum = 1;
};

/// Splits the UDH off; the reason (naming the field) when it is malformed.
std::optional<SmppPart> splitPart(const smpp::ShortMessage& submit, std::string& error);

/// The payload as UTF-8: data_coding 0 is GSM-7 (unpacked, one septet per octet), 8 is UCS-2.
/// nullopt and `error` set for other codings or undecodable bytes.
std::optional<std::string> decodePayload(std::uint8_t data_coding, const std::string& payload,
                                         std::string& error);

/// Collects the parts of concatenated messages until each is whole. Thread-safe.
class PartAssembler {
 public:
  /// (message id, payload) of every part, in part order.
  using Parts = std::vector<std::pair<std::string, std::string>>;

  /// Adds a part (keyed by originator, recipient, reference and total) with the message id it
  /// was given; returns all parts once the last one arrived, and forgets them.
  std::optional<Parts> add(const std::string& originator, const std::string& recipient,
                           const std::string& message_id, const SmppPart& part);

 private:
  using Key = std::tuple<std::string, std::string, std::uint16_t, std::uint8_t>;
  std::mutex mutex_;
  std::map<Key, std::map<std::uint8_t, std::pair<std::string, std::string>>> pending_;
};

/// The receipt text SMSCs put in deliver_sm (SMPP v3.4 appendix B), with `stat` and `err`, and
/// the first 20 characters of `text` (non-ASCII ones as '?').
std::string receiptText(const std::string& id, std::chrono::system_clock::time_point submitted,
                        std::chrono::system_clock::time_point done, const std::string& stat,
                        const std::string& err, const std::string& text);

}  // namespace mobisync::sim
