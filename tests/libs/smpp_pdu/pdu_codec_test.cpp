// SPDX-License-Identifier: Apache-2.0
// The PDU codec: round trips of every PDU an ESME meets, each field's bounds, truncated input,
// absurd lengths. Bytes are written out by hand where the layout itself is under test.
#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "smpp_pdu/codec.hpp"

using namespace mobisync::smpp;

namespace {

std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}

// A frame with a correct command_length around `body`.
std::string frame(std::uint32_t id, std::uint32_t status, std::uint32_t seq, const std::string& body) {
  return be32(static_cast<std::uint32_t>(16 + body.size())) + be32(id) + be32(status) + be32(seq) + body;
}

std::string cstr(const std::string& s) { return s + std::string(1, '\0'); }

Pdu roundTrip(const Pdu& in) {
  Encoded e = encode(in);
  REQUIRE_MESSAGE(e, e.error);
  Decoded d = decode(e.bytes);
  REQUIRE_MESSAGE(d, d.error.message());
  CHECK(d.pdu->header.command_length == e.bytes.size());
  CHECK(d.pdu->header.command_id == in.header.command_id);
  CHECK(d.pdu->header.command_status == in.header.command_status);
  CHECK(d.pdu->header.sequence_number == in.header.sequence_number);
  return *d.pdu;
}

ShortMessage sampleSubmit() {
  ShortMessage m;
  m.service_type = "CMT";
  m.source_addr_ton = 5;
  m.source_addr = "Mobisync";
  m.dest_addr_ton = 1;
  m.dest_addr_npi = 1;
  m.destination_addr = "447930000001";
  m.esm_class = kEsmUdhi;
  m.registered_delivery = 1;
  m.data_coding = 8;
  m.short_message = std::string("\x05\x00\x03\x2a\x02\x01\x00H\x00i", 10);
  m.tlvs.dest_subaddress = std::string("\xa0route-7", 8);
  return m;
}

}  // namespace

TEST_SUITE("libs.smpp_pdu.codec") {

TEST_CASE("bind_transceiver encodes to the bytes the spec lays out") {
  Bind b{"mobisync", "secret", "CMT", kInterfaceVersion34, 0, 0, ""};
  Encoded e = encode(makePdu(cmd::kBindTransceiver, 1, b));
  REQUIRE(e);
  const std::string expected = frame(cmd::kBindTransceiver, 0, 1,
      cstr("mobisync") + cstr("secret") + cstr("CMT") + std::string("\x34\x00\x00", 3) + cstr(""));
  CHECK(e.bytes == expected);
  Decoded d = decode(expected);
  REQUIRE(d);
  CHECK(*d.pdu->as<Bind>() == b);
}

TEST_CASE("every bind and its response round trip") {
  for (std::uint32_t id : {cmd::kBindTransmitter, cmd::kBindReceiver, cmd::kBindTransceiver}) {
    Bind b{"sys", "pw", "CMT", kInterfaceVersion34, 1, 1, "^44"};
    CHECK(*roundTrip(makePdu(id, 7, b)).as<Bind>() == b);
    BindResp r{"SMSC", {}};
    r.tlvs.sc_interface_version = 0x34;
    CHECK(*roundTrip(makePdu(id | cmd::kResponseBit, 7, r)).as<BindResp>() == r);
  }
}

TEST_CASE("a failed bind response may come without a body") {
  Decoded d = decode(frame(cmd::kBindTransceiverResp, status::kInvPaswd, 1, ""));
  REQUIRE(d);
  CHECK(d.pdu->header.command_status == status::kInvPaswd);
  CHECK(d.pdu->as<Empty>() != nullptr);
  // ... but a successful one must carry system_id.
  Decoded ok = decode(frame(cmd::kBindTransceiverResp, 0, 1, ""));
  REQUIRE_FALSE(ok);
  CHECK(ok.error.field == "bind_transceiver_resp.system_id");
}

TEST_CASE("submit_sm and deliver_sm round trip with every parsed TLV") {
  ShortMessage m = sampleSubmit();
  m.tlvs.sar_msg_ref_num = 0xBEEF;
  m.tlvs.sar_total_segments = 3;
  m.tlvs.sar_segment_seqnum = 2;
  m.tlvs.other.push_back(Tlv{0x1401, "vendor"});
  CHECK(roundTrip(makePdu(cmd::kSubmitSm, 42, m)).as<ShortMessage>()->tlvs == m.tlvs);
  CHECK(*roundTrip(makePdu(cmd::kSubmitSm, 42, m)).as<ShortMessage>() == m);

  ShortMessage dlr;
  dlr.source_addr = "447930000001";
  dlr.destination_addr = "Mobisync";
  dlr.esm_class = kEsmDeliveryReceipt;
  dlr.short_message = "id:1a2b sub:001 dlvrd:001 submit date:2611251540 done date:2611251541 stat:DELIVRD err:000 text:hi";
  dlr.tlvs.receipted_message_id = "1a2b";
  dlr.tlvs.message_state = 2;
  CHECK(*roundTrip(makePdu(cmd::kDeliverSm, 9, dlr)).as<ShortMessage>() == dlr);
}

TEST_CASE("message_payload replaces short_message") {
  ShortMessage m = sampleSubmit();
  m.short_message.clear();
  m.tlvs.message_payload = std::string(1000, 'x');
  CHECK(roundTrip(makePdu(cmd::kSubmitSm, 1, m)).as<ShortMessage>()->tlvs.message_payload->size() == 1000);
  m.short_message = "both";
  Encoded e = encode(makePdu(cmd::kSubmitSm, 1, m));
  CHECK_FALSE(e);
  CHECK(e.error.find("submit_sm.short_message") != std::string::npos);
}

TEST_CASE("responses and empty PDUs round trip") {
  CHECK(roundTrip(makePdu(cmd::kSubmitSmResp, 5, MessageResp{"0a1b2c"})).as<MessageResp>()->message_id == "0a1b2c");
  CHECK(roundTrip(makePdu(cmd::kDeliverSmResp, 6, MessageResp{})).as<MessageResp>()->message_id.empty());
  for (std::uint32_t id : {cmd::kEnquireLink, cmd::kEnquireLinkResp, cmd::kUnbind, cmd::kUnbindResp}) {
    Pdu p = roundTrip(makePdu(id, 3));
    CHECK(p.as<Empty>() != nullptr);
    CHECK(p.header.command_length == 16);
  }
  Pdu nack = roundTrip(makePdu(cmd::kGenericNack, 3, Empty{}, status::kInvCmdId));
  CHECK(nack.header.command_status == status::kInvCmdId);
  Pdu throttled = roundTrip(makePdu(cmd::kSubmitSmResp, 8, Empty{}, status::kThrottled));
  CHECK(throttled.as<Empty>() != nullptr);
}

TEST_CASE("outbind and alert_notification are known and decoded") {
  Outbind o{"smsc", "pw"};
  CHECK(*roundTrip(makePdu(cmd::kOutbind, 1, o)).as<Outbind>() == o);
  AlertNotification a;
  a.source_addr = "447930000001";
  a.esme_addr = "mobisync";
  a.tlvs.other.push_back(Tlv{0x0422, std::string(1, '\0')});
  CHECK(*roundTrip(makePdu(cmd::kAlertNotification, 2, a)).as<AlertNotification>() == a);
}

TEST_CASE("each C-Octet field refuses one character more than the spec allows") {
  struct Case { const char* field; std::size_t max; };
  for (Case c : {Case{"system_id", 15}, Case{"password", 8}, Case{"system_type", 12},
                 Case{"address_range", 40}}) {
    CAPTURE(c.field);
    Bind b{"s", "p", "CMT", kInterfaceVersion34, 0, 0, ""};
    std::string* f = std::string(c.field) == "system_id" ? &b.system_id
                   : std::string(c.field) == "password"  ? &b.password
                   : std::string(c.field) == "system_type" ? &b.system_type : &b.address_range;
    *f = std::string(c.max, 'a');
    REQUIRE(encode(makePdu(cmd::kBindTransmitter, 1, b)));
    *f = std::string(c.max + 1, 'a');
    Encoded e = encode(makePdu(cmd::kBindTransmitter, 1, b));
    REQUIRE_FALSE(e);
    CHECK(e.error.find(std::string("bind_transmitter.") + c.field) == 0);
  }
  for (Case c : {Case{"service_type", 5}, Case{"source_addr", 20}, Case{"destination_addr", 20}}) {
    CAPTURE(c.field);
    ShortMessage m = sampleSubmit();
    std::string* f = std::string(c.field) == "service_type" ? &m.service_type
                   : std::string(c.field) == "source_addr" ? &m.source_addr : &m.destination_addr;
    *f = std::string(c.max, '1');
    REQUIRE(encode(makePdu(cmd::kSubmitSm, 1, m)));
    *f = std::string(c.max + 1, '1');
    CHECK(encode(makePdu(cmd::kSubmitSm, 1, m)).error.find(std::string("submit_sm.") + c.field) == 0);
  }
  CHECK(encode(makePdu(cmd::kSubmitSmResp, 1, MessageResp{std::string(64, 'f')})));
  CHECK_FALSE(encode(makePdu(cmd::kSubmitSmResp, 1, MessageResp{std::string(65, 'f')})));
}

TEST_CASE("decode names the field whose NUL is missing") {
  // destination_addr of 21 characters: no NUL within its 21 octets.
  std::string body = cstr("CMT") + std::string("\x05\x00", 2) + cstr("Mobisync") +
                     std::string("\x01\x01", 2) + cstr(std::string(21, '4'));
  body += std::string(8, '\0');
  Decoded d = decode(frame(cmd::kSubmitSm, 0, 77, body));
  REQUIRE_FALSE(d);
  CHECK(d.error.field == "submit_sm.destination_addr");
  CHECK(d.error.status == status::kInvDstAdr);
  CHECK(d.error.sequence_number == 77);
  CHECK(d.error.message().find("submit_sm.destination_addr: has no NUL within 21 octets") == 0);
}

TEST_CASE("time fields must be empty or 16 characters") {
  ShortMessage m = sampleSubmit();
  m.validity_period = "000001000000000R";
  CHECK(roundTrip(makePdu(cmd::kSubmitSm, 1, m)).as<ShortMessage>()->validity_period == m.validity_period);
  m.validity_period = "0000010";
  CHECK(encode(makePdu(cmd::kSubmitSm, 1, m)).error.find("submit_sm.validity_period") == 0);
  // The same on the wire.
  m.validity_period.clear();
  std::string bytes = encode(makePdu(cmd::kSubmitSm, 1, m)).bytes;
  // schedule_delivery_time sits after service_type(4) tons/npis, addresses and three octets.
  std::string body = cstr("") + std::string(2, '\0') + cstr("a") + std::string(2, '\0') + cstr("1") +
                     std::string(3, '\0') + cstr("2611") + cstr("") + std::string(5, '\0');
  Decoded d = decode(frame(cmd::kSubmitSm, 0, 1, body));
  REQUIRE_FALSE(d);
  CHECK(d.error.field == "submit_sm.schedule_delivery_time");
  CHECK(d.error.status == status::kInvSched);
}

TEST_CASE("short_message is at most 254 octets") {
  ShortMessage m = sampleSubmit();
  m.short_message = std::string(254, 'x');
  CHECK(roundTrip(makePdu(cmd::kSubmitSm, 1, m)).as<ShortMessage>()->short_message.size() == 254);
  m.short_message = std::string(255, 'x');
  CHECK(encode(makePdu(cmd::kSubmitSm, 1, m)).error.find("submit_sm.short_message") == 0);
  // sm_length 255 on the wire.
  std::string body = cstr("") + std::string(2, '\0') + cstr("a") + std::string(2, '\0') + cstr("1") +
                     std::string(3, '\0') + cstr("") + cstr("") + std::string(4, '\0') + "\xff" +
                     std::string(255, 'x');
  Decoded d = decode(frame(cmd::kSubmitSm, 0, 1, body));
  REQUIRE_FALSE(d);
  CHECK(d.error.field == "submit_sm.sm_length");
  CHECK(d.error.status == status::kInvMsgLen);
}

TEST_CASE("every truncation of a valid PDU is refused without reading past the end") {
  ShortMessage m = sampleSubmit();
  m.tlvs.sar_msg_ref_num = 1;
  const std::string full = encode(makePdu(cmd::kSubmitSm, 5, m)).bytes;
  for (std::size_t n = 0; n < full.size(); ++n) {
    CAPTURE(n);
    std::string cut = full.substr(0, n);
    CHECK_FALSE(decode(cut));
    // Also with command_length rewritten to match, so the body itself is short.
    if (n >= 16) {
      std::string fixed = be32(static_cast<std::uint32_t>(n)) + cut.substr(4);
      Decoded d = decode(fixed);
      // A cut exactly between TLVs is a valid, shorter PDU; anything else must fail cleanly.
      if (d) CHECK(d.pdu->header.command_length == n);
    }
  }
}

TEST_CASE("absurd and inconsistent command_length values are refused") {
  std::string ok = encode(makePdu(cmd::kEnquireLink, 1)).bytes;
  for (std::uint32_t len : {0u, 1u, 15u, 17u, 0x7fffffffu, 0xffffffffu}) {
    CAPTURE(len);
    std::string bad = be32(len) + ok.substr(4);
    Decoded d = decode(bad);
    REQUIRE_FALSE(d);
    CHECK(d.error.field == "header.command_length");
    CHECK(d.error.status == status::kInvCmdLen);
  }
  CHECK(decode(std::string(10, '\0')).error.field == "header");
}

TEST_CASE("trailing octets after a fixed body are refused") {
  Decoded d = decode(frame(cmd::kEnquireLink, 0, 4, "x"));
  REQUIRE_FALSE(d);
  CHECK(d.error.field == "enquire_link.command_length");
  CHECK(d.error.status == status::kInvCmdLen);
  Decoded r = decode(frame(cmd::kSubmitSmResp, 0, 4, cstr("abc") + "junk"));
  CHECK_FALSE(r);
}

TEST_CASE("unknown and unsupported command ids name the id") {
  Decoded d = decode(frame(0x00001234, 0, 9, ""));
  REQUIRE_FALSE(d);
  CHECK(d.error.status == status::kInvCmdId);
  CHECK(d.error.field == "header.command_id");
  CHECK(d.error.sequence_number == 9);
  CHECK(d.error.problem.find("0x00001234") != std::string::npos);
  Decoded q = decode(frame(cmd::kQuerySm, 0, 9, ""));
  REQUIRE_FALSE(q);
  CHECK(q.error.problem.find("query_sm") != std::string::npos);
}

TEST_CASE("TLV lengths are checked per tag") {
  auto withTlv = [](const std::string& tlv) {
    std::string body = cstr("") + std::string(2, '\0') + cstr("a") + std::string(2, '\0') + cstr("1") +
                       std::string(3, '\0') + cstr("") + cstr("") + std::string(5, '\0');
    return decode(frame(cmd::kDeliverSm, 0, 1, body + tlv));
  };
  // message_state must be one octet.
  Decoded d = withTlv(std::string("\x04\x27\x00\x02\x02\x02", 6));
  REQUIRE_FALSE(d);
  CHECK(d.error.field == "deliver_sm tlv 0x0427");
  CHECK(d.error.status == status::kInvParLen);
  // dest_subaddress 2..23.
  CHECK_FALSE(withTlv(std::string("\x02\x03\x00\x01\xa0", 5)));
  CHECK(withTlv(std::string("\x02\x03\x00\x02\xa0\x01", 6)));
  // A value longer than what is left.
  Decoded over = withTlv(std::string("\x04\x24\x00\x10xx", 6));
  REQUIRE_FALSE(over);
  CHECK(over.error.status == status::kInvOptParStream);
  // A header cut short.
  CHECK(withTlv(std::string("\x04\x24\x00", 3)).error.field == "deliver_sm tlv header");
  // receipted_message_id with or without its NUL, never longer than 65.
  CHECK(*withTlv(std::string("\x00\x1e\x00\x05" "abcd\0", 9)).pdu->as<ShortMessage>()->tlvs.receipted_message_id == "abcd");
  CHECK(*withTlv(std::string("\x00\x1e\x00\x04" "abcd", 8)).pdu->as<ShortMessage>()->tlvs.receipted_message_id == "abcd");
  CHECK_FALSE(withTlv(std::string("\x00\x1e\x00\x42", 4) + std::string(65, 'a') + std::string(1, '\0')));
  // A known tag twice.
  CHECK(withTlv(std::string("\x04\x27\x00\x01\x02\x04\x27\x00\x01\x02", 10)).error.problem == "appears twice");
  // Unknown tags are kept.
  Decoded kept = withTlv(std::string("\x14\x00\x00\x02hi", 6));
  REQUIRE(kept);
  REQUIRE(kept.pdu->as<ShortMessage>()->tlvs.other.size() == 1);
  CHECK(kept.pdu->as<ShortMessage>()->tlvs.other[0] == Tlv{0x1400, "hi"});
}

TEST_CASE("a body that does not fit the command_id is refused by encode") {
  CHECK_FALSE(encode(makePdu(cmd::kSubmitSm, 1, MessageResp{"x"})));
  CHECK_FALSE(encode(makePdu(cmd::kEnquireLink, 1, Bind{})));
  CHECK_FALSE(encode(makePdu(cmd::kSubmitSm, 1)));
  CHECK_FALSE(encode(makePdu(0x1234, 1)));
}

TEST_CASE("names of commands and statuses") {
  CHECK(commandName(cmd::kSubmitSmResp) == "submit_sm_resp");
  CHECK(commandName(0x77) == "command 0x00000077");
  CHECK(statusName(status::kThrottled) == "ESME_RTHROTTLED");
  CHECK(statusName(status::kMsgQFul) == "ESME_RMSGQFUL");
  CHECK(statusName(status::kInvDstAdr) == "ESME_RINVDSTADR");
  CHECK(statusName(0x4242) == "status 0x00004242");
  CHECK(std::string(messageStateName(2)) == "DELIVRD");
}

}  // TEST_SUITE
