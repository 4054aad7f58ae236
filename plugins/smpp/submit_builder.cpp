// SPDX-License-Identifier: Apache-2.0
#include "submit_builder.hpp"

#include "mobisync/sms/gsm7_padding.hpp"
#include "mobisync/sms/originator.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;

namespace {

constexpr std::size_t kMaxUserDataOctets = 140;

// The UDH of one part: concatenation with an 8-bit (IEI 0x00) or 16-bit (IEI 0x08) reference.
std::string concatHeader(int bits, std::uint32_t reference, std::size_t total, std::size_t seq) {
  const auto octet = [](std::uint32_t v) { return static_cast<char>(v & 0xFF); };
  if (bits == 16) {
    return {0x06, 0x08, 0x04, octet(reference >> 8), octet(reference),
            octet(static_cast<std::uint32_t>(total)), octet(static_cast<std::uint32_t>(seq))};
  }
  return {0x05, 0x00, 0x03, octet(reference), octet(static_cast<std::uint32_t>(total)),
          octet(static_cast<std::uint32_t>(seq))};
}

// Zero bits after a UDH of `octets` octets up to the next septet boundary (48 bits: 1; 56: 0).
unsigned fillBits(std::size_t octets) { return static_cast<unsigned>((7 - (octets * 8) % 7) % 7); }

}  // namespace

Result<BuiltMessage> buildSubmits(const plugin::Message& message, const Options& options,
                                  const NextReference& next_reference) {
  std::string to = message.to;
  if (!to.empty() && to.front() == '+') to.erase(0, 1);
  if (to.empty() || to.size() > 15 || to.find_first_not_of("0123456789") != std::string::npos) {
    return Status::rejected("recipient \"" + message.to + "\" is not an E.164 number of 1..15 digits");
  }
  std::string originator = message.originator.empty() ? options.originator : message.originator;
  if (originator.empty()) {
    return Status::rejected("the message has no originator and the notifier sets none");
  }
  auto kind = sms::checkOriginator(originator);
  if (!kind) return Status::rejected(kind.error().message());
  if (*kind == sms::OriginatorKind::Numeric && originator.front() == '+') originator.erase(0, 1);

  const bool wide = options.concat_reference_bits == 16;
  auto encoded = wide ? sms::encode(message.text, sms::kConcat16BitLimits) : sms::encode(message.text);
  if (!encoded) return Status::rejected("text: " + encoded.error().message());
  if (encoded->partCount() > 255) {
    return Status::rejected("text needs " + std::to_string(encoded->partCount()) +
                            " parts; a concatenated SMS has at most 255");
  }

  pdu::ShortMessage base;
  base.service_type = "";
  if (*kind == sms::OriginatorKind::Alphanumeric) {
    base.source_addr_ton = pdu::ton::kAlphanumeric;
    base.source_addr_npi = pdu::npi::kUnknown;
  } else {
    base.source_addr_ton = pdu::ton::kInternational;
    base.source_addr_npi = pdu::npi::kIsdn;
  }
  base.source_addr = originator;
  base.dest_addr_ton = pdu::ton::kInternational;
  base.dest_addr_npi = pdu::npi::kIsdn;
  base.destination_addr = to;
  base.registered_delivery = options.registered_delivery ? 1 : 0;
  const bool gsm7 = encoded->coding == sms::Coding::Gsm7;
  base.data_coding = gsm7 ? kDataCodingGsm7 : kDataCodingUcs2;
  if (options.route_id) base.tlvs.dest_subaddress = *options.route_id;

  BuiltMessage out;
  out.coding = encoded->coding;
  const std::size_t total = encoded->partCount();
  const std::uint32_t reference = total > 1 ? next_reference(to, wide ? 65536U : 256U) : 0;
  for (std::size_t i = 0; i < total; ++i) {
    pdu::ShortMessage sm = base;
    const std::string& payload = encoded->parts[i];
    std::string body;
    if (total > 1) {
      sm.esm_class = pdu::kEsmUdhi;
      body = concatHeader(options.concat_reference_bits, reference, total, i + 1);
    }
    if (gsm7 && options.gsm7_packing) {
      body += sms::packSeptetsPadded(payload, fillBits(body.size()),
                                     kMaxUserDataOctets - body.size());
    } else {
      body += payload;
    }
    sm.short_message = std::move(body);
    out.segments.push_back(std::move(sm));
  }
  return out;
}

}  // namespace mobisync::plugins::smpp
