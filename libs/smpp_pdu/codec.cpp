// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/codec.hpp"

#include <cstdio>
#include <utility>

namespace mobisync::smpp {
namespace {

// Which body layout a command_id carries.
enum class Layout { Empty, Bind, BindResp, ShortMessage, MessageResp, Outbind, Alert, Unsupported,
                    Unknown };

Layout layoutFor(std::uint32_t id) {
  switch (id) {
    case cmd::kBindReceiver:
    case cmd::kBindTransmitter:
    case cmd::kBindTransceiver: return Layout::Bind;
    case cmd::kBindReceiverResp:
    case cmd::kBindTransmitterResp:
    case cmd::kBindTransceiverResp: return Layout::BindResp;
    case cmd::kSubmitSm:
    case cmd::kDeliverSm: return Layout::ShortMessage;
    case cmd::kSubmitSmResp:
    case cmd::kDeliverSmResp: return Layout::MessageResp;
    case cmd::kEnquireLink:
    case cmd::kEnquireLinkResp:
    case cmd::kUnbind:
    case cmd::kUnbindResp:
    case cmd::kGenericNack: return Layout::Empty;
    case cmd::kOutbind: return Layout::Outbind;
    case cmd::kAlertNotification: return Layout::Alert;
    default: return isKnownCommand(id) ? Layout::Unsupported : Layout::Unknown;
  }
}

bool isResponse(std::uint32_t id) { return (id & cmd::kResponseBit) != 0; }

std::string octetCount(std::size_t n) { return std::to_string(n) + (n == 1 ? " octet" : " octets"); }

// Bounds-checked reading of one PDU body. The first failure is kept; later reads fail too.
class Reader {
 public:
  Reader(std::string_view bytes, const Header& header)
      : bytes_(bytes), name_(commandName(header.command_id)) {
    error_.command_id = header.command_id;
    error_.sequence_number = header.sequence_number;
  }

  bool failed() const { return failed_; }
  const DecodeError& error() const { return error_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  bool fail(const std::string& field, std::string problem, std::uint32_t status) {
    if (!failed_) {
      failed_ = true;
      if (field.rfind("header.", 0) == 0) {
        error_.field = field;
      } else {
        error_.field = name_ + (field.find(' ') == std::string::npos ? "." : " ") + field;
      }
      error_.problem = std::move(problem);
      error_.status = status;
    }
    return false;
  }

  bool u8(const char* field, std::uint8_t& out) {
    if (failed_) return false;
    if (remaining() < 1) return truncated(field);
    out = static_cast<std::uint8_t>(bytes_[pos_++]);
    return true;
  }

  bool u16(const char* field, std::uint16_t& out) {
    if (failed_) return false;
    if (remaining() < 2) return truncated(field);
    out = static_cast<std::uint16_t>((byte(0) << 8) | byte(1));
    pos_ += 2;
    return true;
  }

  // A C-Octet string of at most `size` octets including its NUL.
  bool cstring(const char* field, std::size_t size, std::string& out, std::uint32_t too_long) {
    if (failed_) return false;
    std::size_t window = std::min(size, remaining());
    std::string_view rest = bytes_.substr(pos_, window);
    std::size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) {
      if (window < size) return truncated(field);
      return fail(field, "has no NUL within " + octetCount(size) + " (at most " +
                             std::to_string(size - 1) + " characters)",
                  too_long);
    }
    out.assign(rest.substr(0, nul));
    pos_ += nul + 1;
    return true;
  }

  // A time field: empty, or exactly 16 characters (section 7.1).
  bool time(const char* field, std::string& out, std::uint32_t status) {
    if (!cstring(field, limit::kTime, out, status)) return false;
    if (!out.empty() && out.size() != 16) {
      return fail(field, "has " + std::to_string(out.size()) + " characters, must be 0 or 16",
                  status);
    }
    return true;
  }

  bool octets(const char* field, std::size_t n, std::string& out) {
    if (failed_) return false;
    if (remaining() < n) return truncated(field);
    out.assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }

  bool tlvs(OptionalParams& out);

  bool end() {
    if (failed_) return false;
    if (remaining() != 0) {
      return fail("command_length", octetCount(remaining()) + " after the last field",
                  status::kInvCmdLen);
    }
    return true;
  }

 private:
  unsigned byte(std::size_t i) const { return static_cast<unsigned char>(bytes_[pos_ + i]); }
  bool truncated(const char* field) {
    return fail(field, "truncated: the PDU ends inside it", status::kInvCmdLen);
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string name_;
  bool failed_ = false;
  DecodeError error_;
};

std::string tagName(std::uint16_t t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "tlv 0x%04x", t);
  return buf;
}

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
    auto u8v = [&] { return static_cast<std::uint8_t>(value[0]); };
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
        if (!once(out.message_state.has_value()) || !exact(1)) return false;
        out.message_state = u8v();
        break;
      case tag::kSarMsgRefNum:
        if (!once(out.sar_msg_ref_num.has_value()) || !exact(2)) return false;
        out.sar_msg_ref_num = static_cast<std::uint16_t>(
            (static_cast<unsigned char>(value[0]) << 8) | static_cast<unsigned char>(value[1]));
        break;
      case tag::kSarTotalSegments:
        if (!once(out.sar_total_segments.has_value()) || !exact(1)) return false;
        out.sar_total_segments = u8v();
        break;
      case tag::kSarSegmentSeqnum:
        if (!once(out.sar_segment_seqnum.has_value()) || !exact(1)) return false;
        out.sar_segment_seqnum = u8v();
        break;
      case tag::kMessagePayload:
        if (!once(out.message_payload.has_value())) return false;
        out.message_payload = std::move(value);
        break;
      case tag::kScInterfaceVersion:
        if (!once(out.sc_interface_version.has_value()) || !exact(1)) return false;
        out.sc_interface_version = u8v();
        break;
      default:
        out.other.push_back(Tlv{t, std::move(value)});
    }
  }
  return !failed_;
}

Decoded failure(DecodeError e) { return Decoded{std::nullopt, std::move(e)}; }

Decoded decodeBody(std::string_view body, const Header& h) {
  Reader r(body, h);
  Pdu pdu{h, Empty{}};
  const Layout layout = layoutFor(h.command_id);
  // A response with an error status may come without a body (section 3.3.1 and each _resp).
  if (isResponse(h.command_id) && h.command_status != status::kOk && body.empty() &&
      layout != Layout::Unknown && layout != Layout::Unsupported) {
    return Decoded{std::move(pdu), {}};
  }
  switch (layout) {
    case Layout::Empty:
      r.end();
      break;
    case Layout::Bind: {
      Bind b;
      r.cstring("system_id", limit::kSystemId, b.system_id, status::kInvSysId);
      r.cstring("password", limit::kPassword, b.password, status::kInvPaswd);
      r.cstring("system_type", limit::kSystemType, b.system_type, status::kInvSysTyp);
      r.u8("interface_version", b.interface_version);
      r.u8("addr_ton", b.addr_ton);
      r.u8("addr_npi", b.addr_npi);
      r.cstring("address_range", limit::kAddressRange, b.address_range, status::kInvCmdLen);
      r.end();
      pdu.body = std::move(b);
      break;
    }
    case Layout::BindResp: {
      BindResp b;
      r.cstring("system_id", limit::kSystemId, b.system_id, status::kInvSysId);
      r.tlvs(b.tlvs);
      pdu.body = std::move(b);
      break;
    }
    case Layout::ShortMessage: {
      ShortMessage m;
      r.cstring("service_type", limit::kServiceType, m.service_type, status::kInvSerTyp);
      r.u8("source_addr_ton", m.source_addr_ton);
      r.u8("source_addr_npi", m.source_addr_npi);
      r.cstring("source_addr", limit::kAddress, m.source_addr, status::kInvSrcAdr);
      r.u8("dest_addr_ton", m.dest_addr_ton);
      r.u8("dest_addr_npi", m.dest_addr_npi);
      r.cstring("destination_addr", limit::kAddress, m.destination_addr, status::kInvDstAdr);
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
      pdu.body = std::move(m);
      break;
    }
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
    case Layout::Alert: {
      AlertNotification a;
      r.u8("source_addr_ton", a.source_addr_ton);
      r.u8("source_addr_npi", a.source_addr_npi);
      r.cstring("source_addr", limit::kAlertAddress, a.source_addr, status::kInvSrcAdr);
      r.u8("esme_addr_ton", a.esme_addr_ton);
      r.u8("esme_addr_npi", a.esme_addr_npi);
      r.cstring("esme_addr", limit::kAlertAddress, a.esme_addr, status::kInvDstAdr);
      r.tlvs(a.tlvs);
      pdu.body = std::move(a);
      break;
    }
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

// Writes one PDU body; the first field that does not fit is kept as the error.
class Writer {
 public:
  explicit Writer(std::string name) : name_(std::move(name)) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v >> 8));
    u8(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void cstring(const char* field, const std::string& s, std::size_t size) {
    if (s.find('\0') != std::string::npos) return fail(field, "contains a NUL");
    if (s.size() + 1 > size) {
      return fail(field, std::to_string(s.size()) + " characters, at most " +
                             std::to_string(size - 1));
    }
    out_.append(s);
    out_.push_back('\0');
  }
  void time(const char* field, const std::string& s) {
    if (!s.empty() && s.size() != 16) {
      return fail(field, std::to_string(s.size()) + " characters, must be 0 or 16");
    }
    cstring(field, s, limit::kTime);
  }
  void tlv(std::uint16_t t, std::string_view value) {
    if (value.size() > 0xFFFF) return fail(tagName(t).c_str(), "longer than 65535 octets");
    u16(t);
    u16(static_cast<std::uint16_t>(value.size()));
    out_.append(value);
  }
  void tlvs(const OptionalParams& p);
  void fail(const char* field, std::string problem) {
    if (error_.empty()) {
      std::string f = field;
      error_ = name_ + (f.find(' ') == std::string::npos ? "." : " ") + f + ": " + problem;
    }
  }
  std::string& bytes() { return out_; }
  const std::string& error() const { return error_; }

 private:
  std::string name_;
  std::string out_;
  std::string error_;
};

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

bool bodyFits(Layout layout, const Pdu& pdu) {
  if (std::holds_alternative<Empty>(pdu.body)) {
    return layout == Layout::Empty ||
           (isResponse(pdu.header.command_id) && pdu.header.command_status != status::kOk &&
            layout != Layout::Unknown && layout != Layout::Unsupported);
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
    w.u8(m.source_addr_ton);
    w.u8(m.source_addr_npi);
    w.cstring("source_addr", m.source_addr, limit::kAddress);
    w.u8(m.dest_addr_ton);
    w.u8(m.dest_addr_npi);
    w.cstring("destination_addr", m.destination_addr, limit::kAddress);
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
    w.u8(a.source_addr_ton);
    w.u8(a.source_addr_npi);
    w.cstring("source_addr", a.source_addr, limit::kAlertAddress);
    w.u8(a.esme_addr_ton);
    w.u8(a.esme_addr_npi);
    w.cstring("esme_addr", a.esme_addr, limit::kAlertAddress);
    w.tlvs(a.tlvs);
  }
};

std::uint32_t be32(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return (u(0) << 24) | (u(1) << 16) | (u(2) << 8) | u(3);
}

}  // namespace

std::string DecodeError::message() const { return field + ": " + problem; }

Pdu makePdu(std::uint32_t command_id, std::uint32_t sequence, Body body,
            std::uint32_t command_status) {
  Pdu p;
  p.header.command_id = command_id;
  p.header.sequence_number = sequence;
  p.header.command_status = command_status;
  p.body = std::move(body);
  return p;
}

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

Encoded encode(const Pdu& pdu) {
  const Layout layout = layoutFor(pdu.header.command_id);
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
