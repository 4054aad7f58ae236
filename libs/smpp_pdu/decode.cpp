// SPDX-License-Identifier: Apache-2.0
// decode(): the header checks, then each command's body read field by field.
#include <utility>

#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/detail/body_layout.hpp"
#include "smpp_pdu/detail/body_reader.hpp"

namespace mobisync::smpp {
namespace {

using detail::Layout;
using detail::octetCount;
using detail::Reader;

Decoded failure(DecodeError e) { return Decoded{std::nullopt, std::move(e)}; }

Bind readBind(Reader& r) {
  Bind b;
  r.cstring("system_id", limit::kSystemId, b.system_id, status::kInvSysId);
  r.cstring("password", limit::kPassword, b.password, status::kInvPaswd);
  r.cstring("system_type", limit::kSystemType, b.system_type, status::kInvSysTyp);
  r.u8("interface_version", b.interface_version);
  r.u8("addr_ton", b.addr_ton);
  r.u8("addr_npi", b.addr_npi);
  r.cstring("address_range", limit::kAddressRange, b.address_range, status::kInvCmdLen);
  r.end();
  return b;
}

ShortMessage readShortMessage(Reader& r) {
  ShortMessage m;
  r.cstring("service_type", limit::kServiceType, m.service_type, status::kInvSerTyp);
  r.address("source_addr", "source_addr", m.source_addr_ton, m.source_addr_npi, m.source_addr,
            limit::kAddress, status::kInvSrcAdr);
  r.address("dest_addr", "destination_addr", m.dest_addr_ton, m.dest_addr_npi,
            m.destination_addr, limit::kAddress, status::kInvDstAdr);
  r.u8("esm_class", m.esm_class);
  r.u8("protocol_id", m.protocol_id);
  r.u8("priority_flag", m.priority_flag);
  r.time("schedule_delivery_time", m.schedule_delivery_time, status::kInvSched);
  r.time("validity_period", m.validity_period, status::kInvExpiry);
  r.u8("registered_delivery", m.registered_delivery);
  r.u8("replace_if_present_flag", m.replace_if_present_flag);
  r.u8("data_coding", m.data_coding);
  r.u8("sm_default_msg_id", m.sm_default_msg_id);
  std::uint8_t sm_length = 0;
  r.u8("sm_length", sm_length);
  if (!r.failed() && sm_length > limit::kShortMessage) {
    r.fail("sm_length", std::to_string(sm_length) + ", at most 254", status::kInvMsgLen);
  }
  r.octets("short_message", sm_length, m.short_message);
  r.tlvs(m.tlvs);
  if (!r.failed() && m.tlvs.message_payload && !m.short_message.empty()) {
    r.fail("short_message", "set together with message_payload (sm_length must be 0)",
           status::kInvMsgLen);
  }
  return m;
}

AlertNotification readAlert(Reader& r) {
  AlertNotification a;
  r.address("source_addr", "source_addr", a.source_addr_ton, a.source_addr_npi, a.source_addr,
            limit::kAlertAddress, status::kInvSrcAdr);
  r.address("esme_addr", "esme_addr", a.esme_addr_ton, a.esme_addr_npi, a.esme_addr,
            limit::kAlertAddress, status::kInvDstAdr);
  r.tlvs(a.tlvs);
  return a;
}

Decoded decodeBody(std::string_view body, const Header& h) {
  Reader r(body, h);
  Pdu pdu{h, Empty{}};
  const Layout layout = detail::layoutFor(h.command_id);
  if (body.empty() && detail::mayOmitBody(layout, h)) return Decoded{std::move(pdu), {}};
  switch (layout) {
    case Layout::Empty:
      r.end();
      break;
    case Layout::Bind:
      pdu.body = readBind(r);
      break;
    case Layout::BindResp: {
      BindResp b;
      r.cstring("system_id", limit::kSystemId, b.system_id, status::kInvSysId);
      r.tlvs(b.tlvs);
      pdu.body = std::move(b);
      break;
    }
    case Layout::ShortMessage:
      pdu.body = readShortMessage(r);
      break;
    case Layout::MessageResp: {
      MessageResp m;
      r.cstring("message_id", limit::kMessageId, m.message_id, status::kInvMsgId);
      r.end();
      pdu.body = std::move(m);
      break;
    }
    case Layout::Outbind: {
      Outbind o;
      r.cstring("system_id", limit::kSystemId, o.system_id, status::kInvSysId);
      r.cstring("password", limit::kPassword, o.password, status::kInvPaswd);
      r.end();
      pdu.body = std::move(o);
      break;
    }
    case Layout::Alert:
      pdu.body = readAlert(r);
      break;
    case Layout::Unsupported:
      r.fail("header.command_id", commandName(h.command_id) + " is not supported by this ESME",
             status::kInvCmdId);
      break;
    case Layout::Unknown:
      r.fail("header.command_id", "unknown " + commandName(h.command_id), status::kInvCmdId);
      break;
  }
  if (r.failed()) return failure(r.error());
  return Decoded{std::move(pdu), {}};
}

std::uint32_t be32(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return (u(0) << 24) | (u(1) << 16) | (u(2) << 8) | u(3);
}

}  // namespace

std::string DecodeError::message() const { return field + ": " + problem; }

std::optional<Header> peekHeader(std::string_view bytes) {
  if (bytes.size() < limit::kHeaderLength) return std::nullopt;
  return Header{be32(bytes, 0), be32(bytes, 4), be32(bytes, 8), be32(bytes, 12)};
}

Decoded decode(std::string_view bytes) {
  auto header = peekHeader(bytes);
  if (!header) {
    return failure(DecodeError{0, 0, status::kInvCmdLen, "header",
                               "truncated: " + octetCount(bytes.size()) + ", a header needs 16"});
  }
  DecodeError e{header->command_id, header->sequence_number, status::kInvCmdLen,
                "header.command_length", {}};
  if (header->command_length < limit::kHeaderLength ||
      header->command_length > limit::kMaxCommandLength) {
    e.problem = std::to_string(header->command_length) + ", must be 16.." +
                std::to_string(limit::kMaxCommandLength);
    return failure(std::move(e));
  }
  if (header->command_length != bytes.size()) {
    e.problem = std::to_string(header->command_length) + " but the frame has " +
                octetCount(bytes.size());
    return failure(std::move(e));
  }
  return decodeBody(bytes.substr(limit::kHeaderLength), *header);
}

}  // namespace mobisync::smpp
