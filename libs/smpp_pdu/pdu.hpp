// SPDX-License-Identifier: Apache-2.0
// SMPP v3.4 PDUs as values: a header and one body per PDU layout an ESME sends or receives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "smpp_pdu/constants.hpp"

namespace mobisync::smpp {

/// The 16-octet header. command_length is filled in by encode() and checked by decode().
struct Header {
  std::uint32_t command_length = 0;
  std::uint32_t command_id = 0;
  std::uint32_t command_status = 0;
  std::uint32_t sequence_number = 0;
};

/// An optional parameter this codec does not interpret, kept as it came.
struct Tlv {
  std::uint16_t tag = 0;
  std::string value;
  bool operator==(const Tlv&) const = default;
};

/// Optional parameters. The ones an ESME acts on are parsed (and their lengths checked); every
/// other tag is kept raw in `other`, in the order received, so nothing is silently dropped.
struct OptionalParams {
  std::optional<std::string> dest_subaddress;      ///< 0x0203, 2..23 octets (route id)
  std::optional<std::string> receipted_message_id; ///< 0x001E, C-Octet, up to 64 chars
  std::optional<std::uint8_t> message_state;       ///< 0x0427
  std::optional<std::uint16_t> sar_msg_ref_num;    ///< 0x020C
  std::optional<std::uint8_t> sar_total_segments;  ///< 0x020E
  std::optional<std::uint8_t> sar_segment_seqnum;  ///< 0x020F
  std::optional<std::string> message_payload;      ///< 0x0424, instead of short_message
  std::optional<std::uint8_t> sc_interface_version;  ///< 0x0210 (bind responses)
  std::vector<Tlv> other;
  bool operator==(const OptionalParams&) const = default;
};

/// A PDU without a body: enquire_link(_resp), unbind(_resp), generic_nack, and responses sent
/// with an error status (the spec leaves their body out).
struct Empty {
  bool operator==(const Empty&) const = default;
};

/// bind_transmitter, bind_receiver, bind_transceiver.
struct Bind {
  std::string system_id;    ///< up to 15 chars
  std::string password;     ///< up to 8 chars
  std::string system_type;  ///< up to 12 chars
  std::uint8_t interface_version = kInterfaceVersion34;
  std::uint8_t addr_ton = 0;
  std::uint8_t addr_npi = 0;
  std::string address_range;  ///< up to 40 chars
  bool operator==(const Bind&) const = default;
};

/// bind_*_resp.
struct BindResp {
  std::string system_id;
  OptionalParams tlvs;
  bool operator==(const BindResp&) const = default;
};

/// submit_sm and deliver_sm share this layout (sections 4.4.1 and 4.6.1).
struct ShortMessage {
  std::string service_type;  ///< up to 5 chars
  std::uint8_t source_addr_ton = 0;
  std::uint8_t source_addr_npi = 0;
  std::string source_addr;  ///< up to 20 chars
  std::uint8_t dest_addr_ton = 0;
  std::uint8_t dest_addr_npi = 0;
  std::string destination_addr;  ///< up to 20 chars
  std::uint8_t esm_class = 0;
  std::uint8_t protocol_id = 0;
  std::uint8_t priority_flag = 0;
  std::string schedule_delivery_time;  ///< empty or 16 chars
  std::string validity_period;         ///< empty or 16 chars
  std::uint8_t registered_delivery = 0;
  std::uint8_t replace_if_present_flag = 0;
  std::uint8_t data_coding = 0;
  std::uint8_t sm_default_msg_id = 0;
  std::string short_message;  ///< up to 254 octets; sm_length is its size
  OptionalParams tlvs;
  bool operator==(const ShortMessage&) const = default;
};

/// submit_sm_resp and deliver_sm_resp: a message id (deliver_sm_resp sends it empty).
struct MessageResp {
  std::string message_id;  ///< up to 64 chars
  bool operator==(const MessageResp&) const = default;
};

/// outbind (an SMSC asking the ESME to bind). Decoded so it is known, never acted on.
struct Outbind {
  std::string system_id;
  std::string password;
  bool operator==(const Outbind&) const = default;
};

/// alert_notification. Decoded so it is known, never acted on.
struct AlertNotification {
  std::uint8_t source_addr_ton = 0;
  std::uint8_t source_addr_npi = 0;
  std::string source_addr;  ///< up to 64 chars
  std::uint8_t esme_addr_ton = 0;
  std::uint8_t esme_addr_npi = 0;
  std::string esme_addr;  ///< up to 64 chars
  OptionalParams tlvs;
  bool operator==(const AlertNotification&) const = default;
};

using Body = std::variant<Empty, Bind, BindResp, ShortMessage, MessageResp, Outbind,
                          AlertNotification>;

/// One PDU. The body's alternative must match header.command_id (see bodyKindFor in codec).
struct Pdu {
  Header header;
  Body body;

  template <class T>
  const T* as() const { return std::get_if<T>(&body); }
  template <class T>
  T* as() { return std::get_if<T>(&body); }
};

/// Builds a PDU with the given id, status and sequence.
Pdu makePdu(std::uint32_t command_id, std::uint32_t sequence, Body body = Empty{},
            std::uint32_t command_status = status::kOk);

}  // namespace mobisync::smpp
