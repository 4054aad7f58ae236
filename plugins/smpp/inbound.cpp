// SPDX-License-Identifier: Apache-2.0
#include "inbound.hpp"

#include "mobisync/sms/encoding.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;

namespace {

constexpr char32_t kReplacement = 0xFFFD;

std::string latin1(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) sms::appendUtf8(out, c);
  return out;
}

std::string gsm7OrLatin1(std::string_view bytes) {
  auto gsm7 = sms::decodeGsm7(bytes);  // refuses octets above 127 and a trailing escape
  return gsm7 ? *gsm7 : latin1(bytes);
}

std::string ucs2(std::string_view bytes) {
  if (auto text = sms::decodeUcs2(bytes)) return *text;
  // An odd byte or a lone surrogate: each unit on its own, the unreadable ones replaced.
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const char32_t u = (static_cast<unsigned char>(bytes[i]) << 8) |
                       static_cast<unsigned char>(bytes[i + 1]);
    sms::appendUtf8(out, u >= 0xD800 && u <= 0xDFFF ? kReplacement : u);
  }
  if (bytes.size() % 2 != 0) sms::appendUtf8(out, kReplacement);
  return out;
}

}  // namespace

std::string inboundText(const pdu::ShortMessage& deliver) {
  std::string_view body = deliver.tlvs.message_payload ? *deliver.tlvs.message_payload
                                                       : deliver.short_message;
  if ((deliver.esm_class & pdu::kEsmUdhi) != 0 && !body.empty()) {
    const std::size_t udh = 1 + static_cast<unsigned char>(body.front());
    body.remove_prefix(udh <= body.size() ? udh : body.size());
  }
  switch (deliver.data_coding) {
    case pdu::coding::kDefault:
    case pdu::coding::kIa5:
      return gsm7OrLatin1(body);
    case pdu::coding::kUcs2:
      return ucs2(body);
    default:
      return latin1(body);
  }
}

plugin::InboundMessage inboundFrom(const pdu::ShortMessage& deliver, std::int64_t now_ms) {
  plugin::InboundMessage m;
  m.from = deliver.source_addr;
  if (deliver.source_addr_ton == pdu::ton::kInternational && !m.from.empty() && m.from.front() == '+') {
    m.from.erase(0, 1);
  }
  m.to = deliver.destination_addr;
  m.text = inboundText(deliver);
  m.received_at_ms = now_ms;
  return m;
}

void InboundQueue::add(plugin::InboundMessage message) {
  std::lock_guard lock(mutex_);
  held_.push_back(std::move(message));
}

std::vector<plugin::InboundMessage> InboundQueue::take() {
  std::lock_guard lock(mutex_);
  std::vector<plugin::InboundMessage> out;
  out.swap(held_);
  return out;
}

}  // namespace mobisync::plugins::smpp
