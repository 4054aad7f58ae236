// SPDX-License-Identifier: Apache-2.0
#include "submit_builder.hpp"

#include "mobisync/sms/originator.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;

namespace {

constexpr std::uint8_t kTonInternational = 1;
constexpr std::uint8_t kTonAlphanumeric = 5;
constexpr std::uint8_t kNpiUnknown = 0;
constexpr std::uint8_t kNpiIsdn = 1;
// A 6-octet UDH is 48 bits; packed septets after it start at bit 49, a septet boundary.
constexpr unsigned kUdhFillBits = 1;

}  // namespace

Result<BuiltMessage> buildSubmits(const plugin::Message& message, const Options& options,
                                  std::uint8_t reference) {
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

  auto encoded = sms::encode(message.text);
  if (!encoded) return Status::rejected("text: " + encoded.error().message());
  if (encoded->partCount() > 255) {
    return Status::rejected("text needs " + std::to_string(encoded->partCount()) +
                            " parts; a concatenated SMS has at most 255");
  }

  pdu::ShortMessage base;
  base.service_type = "";
  if (*kind == sms::OriginatorKind::Alphanumeric) {
    base.source_addr_ton = kTonAlphanumeric;
    base.source_addr_npi = kNpiUnknown;
  } else {
    base.source_addr_ton = kTonInternational;
    base.source_addr_npi = kNpiIsdn;
  }
  base.source_addr = originator;
  base.dest_addr_ton = kTonInternational;
  base.dest_addr_npi = kNpiIsdn;
  base.destination_addr = to;
  base.registered_delivery = options.registered_delivery ? 1 : 0;
  const bool gsm7 = encoded->coding == sms::Coding::Gsm7;
  base.data_coding = gsm7 ? kDataCodingGsm7 : kDataCodingUcs2;
  if (options.route_id) base.tlvs.dest_subaddress = *options.route_id;

  BuiltMessage out;
  out.coding = encoded->coding;
  const std::size_t total = encoded->partCount();
  for (std::size_t i = 0; i < total; ++i) {
    pdu::ShortMessage sm = base;
    const std::string& payload = encoded->parts[i];
    std::string body;
    if (total > 1) {
      sm.esm_class = pdu::kEsmUdhi;
      body = {0x05, 0x00, 0x03, static_cast<char>(reference), static_cast<char>(total),
              static_cast<char>(i + 1)};
    }
    if (gsm7 && options.gsm7_packing) {
      body += sms::packSeptets(payload, total > 1 ? kUdhFillBits : 0);
    } else {
      body += payload;
    }
    sm.short_message = std::move(body);
    out.segments.push_back(std::move(sm));
  }
  return out;
}

}  // namespace mobisync::plugins::smpp
