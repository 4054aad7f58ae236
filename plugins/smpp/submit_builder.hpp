// SPDX-License-Identifier: Apache-2.0
// Turns one Message into the submit_sm PDUs that carry it: coding, parts, UDH, addresses, TLVs.
#pragma once

#include <cstdint>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"
#include "mobisync/sms/encoding.hpp"
#include "smpp_pdu/pdu.hpp"
#include "smpp_options.hpp"

namespace mobisync::plugins::smpp {

inline constexpr std::uint8_t kDataCodingGsm7 = 0x00;
inline constexpr std::uint8_t kDataCodingUcs2 = 0x08;

/// The submit_sm bodies of one message, in part order.
struct BuiltMessage {
  sms::Coding coding = sms::Coding::Gsm7;
  std::vector<mobisync::smpp::ShortMessage> segments;
};

/// Builds the submit_sm bodies for `message`. GSM-7 goes as data_coding 0 (one septet per octet,
/// or packed when options.gsm7_packing), anything else as UCS-2 (data_coding 8). More than one
/// part: each starts with the UDH 05 00 03 <reference> <total> <seq> and esm_class has UDHI
/// (0x40). The originator (the message's, else options.originator) picks TON/NPI: alphanumeric
/// 5/0, numeric 1/1. A bad recipient, originator or text gives a Rejected Status saying which.
/// Pure; thread-safe.
Result<BuiltMessage> buildSubmits(const plugin::Message& message, const Options& options,
                                  std::uint8_t reference);

}  // namespace mobisync::plugins::smpp
