// SPDX-License-Identifier: Apache-2.0
// Encoding and decoding of whole PDUs. Every read is bounds-checked; every refusal names the
// PDU field and carries the command_status to answer the peer with (generic_nack or a _resp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smpp_pdu/pdu.hpp"

namespace mobisync::smpp {

/// Why a PDU was refused. `command_id` and `sequence_number` are those of the header when it
/// was readable (0 otherwise), so the caller can answer with generic_nack or the matching _resp.
struct DecodeError {
  std::uint32_t command_id = 0;
  std::uint32_t sequence_number = 0;
  std::uint32_t status = status::kSysErr;  ///< what to answer: ESME_RINVCMDLEN, _RINVCMDID, ...
  std::string field;    ///< "submit_sm.destination_addr", "header.command_length", "tlv 0x0203"
  std::string problem;  ///< "has no NUL within 21 octets"
  /// "submit_sm.destination_addr: has no NUL within 21 octets"
  std::string message() const;
};

/// A decoded PDU or the reason there is none.
struct Decoded {
  std::optional<Pdu> pdu;
  DecodeError error;  ///< meaningful only when !pdu
  explicit operator bool() const { return pdu.has_value(); }
};

/// Decodes exactly one PDU: `bytes` must be the whole frame (header included), as the Framer
/// yields it. Unknown command ids, lengths that disagree with the content, over-long C-Octet
/// strings, wrong TLV lengths and trailing octets are refused.
Decoded decode(std::string_view bytes);

/// An encoded PDU or the reason it cannot be written (a field longer than the spec allows);
/// the encoder never truncates.
struct Encoded {
  std::string bytes;
  std::string error;  ///< empty on success: "submit_sm.short_message: 300 octets, at most 254"
  explicit operator bool() const { return error.empty(); }
};

/// Encodes `pdu`, computing command_length. The body alternative must fit the command_id.
Encoded encode(const Pdu& pdu);

/// Reads the header of a frame of at least 16 octets (no checks beyond the size).
std::optional<Header> peekHeader(std::string_view bytes);

}  // namespace mobisync::smpp
