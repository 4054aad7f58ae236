// SPDX-License-Identifier: Apache-2.0
// UDH parsing, payload decoding, concatenation and receipt text for the simulated SMSC.
#include "smpp_message.hpp"

#include <ctime>

#include "mobisync/sms/sms.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::sim {
namespace {

constexpr std::uint8_t kIeiConcat8 = 0x00;
constexpr std::uint8_t kIeiConcat16 = 0x08;
constexpr std::uint8_t kDataCodingGsm7 = 0x00;
constexpr std::uint8_t kDataCodingUcs2 = 0x08;

std::string yymmddhhmm(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%y%m%d%H%M", &utc);
  return text;
}

}  // namespace

std::optional<SmppPart> splitPart(const smpp::ShortMessage& submit, std::string& error) {
  SmppPart part;
  part.payload = submit.tlvs.message_payload ? *submit.tlvs.message_payload : submit.short_message;
  if (submit.tlvs.sar_msg_ref_num) {
    part.reference = *submit.tlvs.sar_msg_ref_num;
    part.total = submit.tlvs.sar_total_segments.value_or(1);
    part.seqnum = submit.tlvs.sar_segment_seqnum.value_or(1);
  }
  if ((submit.esm_class & smpp::kEsmUdhi) == 0) {
    return part;
  }
  const std::string& data = part.payload;
  if (data.empty() || static_cast<unsigned char>(data[0]) + 1U > data.size()) {
    error = "submit_sm.short_message: UDH length exceeds the message";
    return std::nullopt;
  }
  std::size_t udh_end = 1U + static_cast<unsigned char>(data[0]);
  for (std::size_t i = 1; i < udh_end;) {
    if (i + 2 > udh_end) {
      error = "submit_sm.short_message: truncated UDH information element";
      return std::nullopt;
    }
    auto iei = static_cast<std::uint8_t>(data[i]);
    std::size_t length = static_cast<unsigned char>(data[i + 1]);
    if (i + 2 + length > udh_end) {
      error = "submit_sm.short_message: UDH element 0x" + std::to_string(iei) + " overruns the UDH";
      return std::nullopt;
    }
    const auto* value = reinterpret_cast<const unsigned char*>(data.data() + i + 2);
    if (iei == kIeiConcat8 && length == 3) {
      part.reference = value[0];
      part.total = value[1];
      part.seqnum = value[2];
    } else if (iei == kIeiConcat16 && length == 4) {
      part.reference = static_cast<std::uint16_t>(value[0] << 8 | value[1]);
      part.total = value[2];
      part.seqnum = value[3];
    }
    i += 2 + length;
  }
  if (part.total == 0 || part.seqnum == 0 || part.seqnum > part.total) {
    error = "submit_sm.short_message: concatenation part " + std::to_string(part.seqnum) +
            " of " + std::to_string(part.total);
    return std::nullopt;
  }
  part.payload.erase(0, udh_end);
  return part;
}

std::optional<std::string> decodePayload(std::uint8_t data_coding, const std::string& payload,
                                         std::string& error) {
  Result<std::string> text = std::string();
  if (data_coding == kDataCodingGsm7) {
    text = sms::decodeGsm7(payload);
  } else if (data_coding == kDataCodingUcs2) {
    text = sms::decodeUcs2(payload);
  } else {
    // The provider's profile: no 8-bit binary, no other alphabets.
    error = "submit_sm.data_coding: " + std::to_string(data_coding) +
            " is not supported (0 GSM-7 or 8 UCS-2)";
    return std::nullopt;
  }
  if (!text) {
    error = "submit_sm.short_message: " + text.error().message();
    return std::nullopt;
  }
  return *text;
}

std::optional<PartAssembler::Parts> PartAssembler::add(const std::string& originator,
                                                       const std::string& recipient,
                                                       const std::string& message_id,
                                                       const SmppPart& part) {
  if (part.total == 1) {
    return Parts{{message_id, part.payload}};
  }
  std::lock_guard lock(mutex_);
  Key key{originator, recipient, part.reference, part.total};
  auto& parts = pending_[key];
  parts[part.seqnum] = {message_id, part.payload};  // a resent part replaces the earlier copy
  if (parts.size() < part.total) {
    return std::nullopt;
  }
  Parts whole;
  for (auto& [seqnum, id_and_payload] : parts) {
    whole.push_back(std::move(id_and_payload));
  }
  pending_.erase(key);
  return whole;
}

std::string receiptText(const std::string& id, std::chrono::system_clock::time_point submitted,
                        std::chrono::system_clock::time_point done, const std::string& stat,
                        const std::string& err, const std::string& text) {
  std::string excerpt;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size() && characters < 20; ++characters) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    excerpt.push_back(lead >= 0x20 && lead < 0x7F ? static_cast<char>(lead) : '?');
    i += length;
  }
  bool delivered = stat == "DELIVRD";
  return "id:" + id + " sub:001 dlvrd:" + (delivered ? "001" : "000") + " submit date:" +
         yymmddhhmm(submitted) + " done date:" + yymmddhhmm(done) + " stat:" + stat +
         " err:" + err + " text:" + excerpt;
}

}  // namespace mobisync::sim
