// SPDX-License-Identifier: Apache-2.0
// Optional parameters (TLVs), read and written: the tags an ESME acts on are parsed and their
// lengths checked; every other tag is kept raw, in order.
#include <utility>

#include "smpp_pdu/detail/body_layout.hpp"
#include "smpp_pdu/detail/body_reader.hpp"
#include "smpp_pdu/detail/body_writer.hpp"

namespace mobisync::smpp::detail {

bool Reader::tlvs(OptionalParams& out) {
  while (!failed_ && remaining() > 0) {
    if (remaining() < 4) {
      return fail("tlv header", octetCount(remaining()) + " left, a TLV header needs 4",
                  status::kInvOptParStream);
    }
    std::uint16_t t = 0;
    std::uint16_t len = 0;
    u16("tlv", t);
    u16("tlv", len);
    const std::string field = tagName(t);
    if (len > remaining()) {
      return fail(field, "length " + std::to_string(len) + " but only " +
                             octetCount(remaining()) + " left",
                  status::kInvOptParStream);
    }
    std::string value;
    octets("tlv", len, value);
    auto exact = [&](std::size_t n) {
      if (value.size() == n) return true;
      return fail(field, "length " + std::to_string(value.size()) + ", must be " +
                             std::to_string(n),
                  status::kInvParLen);
    };
    auto once = [&](bool present) {
      if (!present) return true;
      return fail(field, "appears twice", status::kInvOptParStream);
    };
    // A one-octet parameter: present at most once, exactly 1 octet long.
    auto oneOctet = [&](std::optional<std::uint8_t>& slot) {
      if (!once(slot.has_value()) || !exact(1)) return false;
      slot = static_cast<std::uint8_t>(value[0]);
      return true;
    };
    switch (t) {
      case tag::kDestSubaddress:
        if (!once(out.dest_subaddress.has_value())) return false;
        if (value.size() < 2 || value.size() > 23) {
          return fail(field, "length " + std::to_string(value.size()) + ", must be 2..23",
                      status::kInvParLen);
        }
        out.dest_subaddress = std::move(value);
        break;
      case tag::kReceiptedMessageId: {
        if (!once(out.receipted_message_id.has_value())) return false;
        // A C-Octet string; tolerate a missing NUL (some SMSCs omit it), refuse one inside.
        if (!value.empty() && value.back() == '\0') value.pop_back();
        if (value.find('\0') != std::string::npos) {
          return fail(field, "has a NUL inside the message id", status::kInvOptParamVal);
        }
        if (value.size() + 1 > limit::kMessageId) {
          return fail(field, "length " + std::to_string(len) + ", at most 65",
                      status::kInvParLen);
        }
        out.receipted_message_id = std::move(value);
        break;
      }
      case tag::kMessageState:
        if (!oneOctet(out.message_state)) return false;
        break;
      case tag::kSarMsgRefNum:
        if (!once(out.sar_msg_ref_num.has_value()) || !exact(2)) return false;
        out.sar_msg_ref_num = static_cast<std::uint16_t>(
            (static_cast<unsigned char>(value[0]) << 8) | static_cast<unsigned char>(value[1]));
        break;
      case tag::kSarTotalSegments:
        if (!oneOctet(out.sar_total_segments)) return false;
        break;
      case tag::kSarSegmentSeqnum:
        if (!oneOctet(out.sar_segment_seqnum)) return false;
        break;
      case tag::kMessagePayload:
        if (!once(out.message_payload.has_value())) return false;
        out.message_payload = std::move(value);
        break;
      case tag::kScInterfaceVersion:
        if (!oneOctet(out.sc_interface_version)) return false;
        break;
      default:
        out.other.push_back(Tlv{t, std::move(value)});
    }
  }
  return !failed_;
}

void Writer::tlvs(const OptionalParams& p) {
  auto byte = [](std::uint8_t v) { return std::string(1, static_cast<char>(v)); };
  if (p.dest_subaddress) {
    if (p.dest_subaddress->size() < 2 || p.dest_subaddress->size() > 23) {
      return fail("tlv 0x0203", std::to_string(p.dest_subaddress->size()) +
                                    " octets, must be 2..23");
    }
    tlv(tag::kDestSubaddress, *p.dest_subaddress);
  }
  if (p.receipted_message_id) {
    if (p.receipted_message_id->find('\0') != std::string::npos ||
        p.receipted_message_id->size() + 1 > limit::kMessageId) {
      return fail("tlv 0x001e", "a message id of at most 64 characters without NUL");
    }
    tlv(tag::kReceiptedMessageId, std::string(*p.receipted_message_id) + '\0');
  }
  if (p.message_state) tlv(tag::kMessageState, byte(*p.message_state));
  if (p.sar_msg_ref_num) {
    tlv(tag::kSarMsgRefNum, byte(static_cast<std::uint8_t>(*p.sar_msg_ref_num >> 8)) +
                                byte(static_cast<std::uint8_t>(*p.sar_msg_ref_num)));
  }
  if (p.sar_total_segments) tlv(tag::kSarTotalSegments, byte(*p.sar_total_segments));
  if (p.sar_segment_seqnum) tlv(tag::kSarSegmentSeqnum, byte(*p.sar_segment_seqnum));
  if (p.message_payload) tlv(tag::kMessagePayload, *p.message_payload);
  if (p.sc_interface_version) tlv(tag::kScInterfaceVersion, byte(*p.sc_interface_version));
  for (const Tlv& t : p.other) tlv(t.tag, t.value);
}

}  // namespace mobisync::smpp::detail
