// SPDX-License-Identifier: Apache-2.0
// encode(): the header, then each command's body written field by field, command_length last.
#include <utility>

#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/detail/body_layout.hpp"
#include "smpp_pdu/detail/body_writer.hpp"

namespace mobisync::smpp {
namespace {

using detail::Layout;
using detail::Writer;

bool bodyFits(Layout layout, const Pdu& pdu) {
  if (std::holds_alternative<Empty>(pdu.body)) {
    return layout == Layout::Empty || detail::mayOmitBody(layout, pdu.header);
  }
  switch (layout) {
    case Layout::Bind: return std::holds_alternative<Bind>(pdu.body);
    case Layout::BindResp: return std::holds_alternative<BindResp>(pdu.body);
    case Layout::ShortMessage: return std::holds_alternative<ShortMessage>(pdu.body);
    case Layout::MessageResp: return std::holds_alternative<MessageResp>(pdu.body);
    case Layout::Outbind: return std::holds_alternative<Outbind>(pdu.body);
    case Layout::Alert: return std::holds_alternative<AlertNotification>(pdu.body);
    default: return false;
  }
}

struct BodyWriter {
  Writer& w;
  void operator()(const Empty&) const {}
  void operator()(const Bind& b) const {
    w.cstring("system_id", b.system_id, limit::kSystemId);
    w.cstring("password", b.password, limit::kPassword);
    w.cstring("system_type", b.system_type, limit::kSystemType);
    w.u8(b.interface_version);
    w.u8(b.addr_ton);
    w.u8(b.addr_npi);
    w.cstring("address_range", b.address_range, limit::kAddressRange);
  }
  void operator()(const BindResp& b) const {
    w.cstring("system_id", b.system_id, limit::kSystemId);
    w.tlvs(b.tlvs);
  }
  void operator()(const ShortMessage& m) const {
    w.cstring("service_type", m.service_type, limit::kServiceType);
    w.address("source_addr", m.source_addr_ton, m.source_addr_npi, m.source_addr,
              limit::kAddress);
    w.address("destination_addr", m.dest_addr_ton, m.dest_addr_npi, m.destination_addr,
              limit::kAddress);
    w.u8(m.esm_class);
    w.u8(m.protocol_id);
    w.u8(m.priority_flag);
    w.time("schedule_delivery_time", m.schedule_delivery_time);
    w.time("validity_period", m.validity_period);
    w.u8(m.registered_delivery);
    w.u8(m.replace_if_present_flag);
    w.u8(m.data_coding);
    w.u8(m.sm_default_msg_id);
    if (m.short_message.size() > limit::kShortMessage) {
      return w.fail("short_message", std::to_string(m.short_message.size()) +
                                         " octets, at most 254");
    }
    if (m.tlvs.message_payload && !m.short_message.empty()) {
      return w.fail("short_message", "set together with message_payload");
    }
    w.u8(static_cast<std::uint8_t>(m.short_message.size()));
    w.bytes().append(m.short_message);
    w.tlvs(m.tlvs);
  }
  void operator()(const MessageResp& m) const {
    w.cstring("message_id", m.message_id, limit::kMessageId);
  }
  void operator()(const Outbind& o) const {
    w.cstring("system_id", o.system_id, limit::kSystemId);
    w.cstring("password", o.password, limit::kPassword);
  }
  void operator()(const AlertNotification& a) const {
    w.address("source_addr", a.source_addr_ton, a.source_addr_npi, a.source_addr,
              limit::kAlertAddress);
    w.address("esme_addr", a.esme_addr_ton, a.esme_addr_npi, a.esme_addr, limit::kAlertAddress);
    w.tlvs(a.tlvs);
  }
};

}  // namespace

Pdu makePdu(std::uint32_t command_id, std::uint32_t sequence, Body body,
            std::uint32_t command_status) {
  Pdu p;
  p.header.command_id = command_id;
  p.header.sequence_number = sequence;
  p.header.command_status = command_status;
  p.body = std::move(body);
  return p;
}

Encoded encode(const Pdu& pdu) {
  const Layout layout = detail::layoutFor(pdu.header.command_id);
  const std::string name = commandName(pdu.header.command_id);
  if (!bodyFits(layout, pdu)) {
    return Encoded{{}, name + ": the body does not fit this command_id"};
  }
  Writer w(name);
  w.u32(0);  // command_length, patched below
  w.u32(pdu.header.command_id);
  w.u32(pdu.header.command_status);
  w.u32(pdu.header.sequence_number);
  std::visit(BodyWriter{w}, pdu.body);
  if (!w.error().empty()) return Encoded{{}, w.error()};
  std::string& out = w.bytes();
  if (out.size() > limit::kMaxCommandLength) {
    return Encoded{{}, name + ": " + std::to_string(out.size()) + " octets, at most " +
                           std::to_string(limit::kMaxCommandLength)};
  }
  const auto len = static_cast<std::uint32_t>(out.size());
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(len >> (24 - 8 * i));
  return Encoded{std::move(out), {}};
}

}  // namespace mobisync::smpp
