// SPDX-License-Identifier: Apache-2.0
// Which body layout each command_id carries, the one fact decode and encode both start from.
// Internal to mobisync_smpp_pdu.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "smpp_pdu/pdu.hpp"

namespace mobisync::smpp::detail {

enum class Layout { Empty, Bind, BindResp, ShortMessage, MessageResp, Outbind, Alert, Unsupported,
                    Unknown };

/// The layout of `command_id`: Unsupported for SMPP v3.4 commands this codec does not parse,
/// Unknown for ids SMPP does not define.
Layout layoutFor(std::uint32_t command_id);

inline bool isResponse(std::uint32_t command_id) {
  return (command_id & cmd::kResponseBit) != 0;
}

/// True when `header` is a response with an error status to a command this codec knows: the
/// spec lets such a response leave its body out (section 3.3.1 and each _resp).
bool mayOmitBody(Layout layout, const Header& header);

/// "1 octet", "5 octets": the size in error texts.
inline std::string octetCount(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " octet" : " octets");
}

/// "tlv 0x0203": the field name of an optional parameter in error texts.
std::string tagName(std::uint16_t tag);

}  // namespace mobisync::smpp::detail
