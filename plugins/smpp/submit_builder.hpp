// SPDX-License-Identifier: Apache-2.0
// Turns one Message into the submit_sm PDUs that carry it: coding, parts, UDH, addresses, TLVs.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"
#include "mobisync/sms/encoding.hpp"
#include "smpp_pdu/constants.hpp"
#include "smpp_pdu/pdu.hpp"
#include "smpp_options.hpp"

namespace mobisync::plugins::smpp {

inline constexpr std::uint8_t kDataCodingGsm7 = mobisync::smpp::coding::kDefault;
inline constexpr std::uint8_t kDataCodingUcs2 = mobisync::smpp::coding::kUcs2;

/// The submit_sm bodies of one message, in part order.
struct BuiltMessage {
  sms::Coding coding = sms::Coding::Gsm7;
  std::vector<mobisync::smpp::ShortMessage> segments;
};

/// Hands out the concatenation reference of one long message, below `modulus` (256 or 65536).
using NextReference = std::function<std::uint32_t(const std::string& destination,
                                                  std::uint32_t modulus)>;

/// Builds the submit_sm bodies for `message`. GSM-7 goes as data_coding 0 (one septet per octet,
/// or packed when options.gsm7_packing, CR-padded as 3GPP TS 23.038 6.1.2.1.1 asks), anything
/// else as UCS-2 (data_coding 8). More than one part: `next_reference` is asked once, and each
/// part starts with the UDH 05 00 03 <ref> <total> <seq> (options.concat_reference_bits 8) or
/// 06 08 04 <ref hi> <ref lo> <total> <seq> (16), and esm_class has UDHI (0x40). The originator
/// (the message's, else options.originator) picks TON/NPI: alphanumeric 5/0, numeric 1/1. A bad
/// recipient, originator or text gives a Rejected Status saying which. Thread-safe when
/// `next_reference` is.
Result<BuiltMessage> buildSubmits(const plugin::Message& message, const Options& options,
                                  const NextReference& next_reference);

}  // namespace mobisync::plugins::smpp
