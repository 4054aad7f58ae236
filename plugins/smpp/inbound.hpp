// SPDX-License-Identifier: Apache-2.0
// Mobile-originated messages: read from a deliver_sm that is no receipt, held until taken.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "smpp_pdu/pdu.hpp"

namespace mobisync::plugins::smpp {

/// The text of a deliver_sm in UTF-8: message_payload when present, else short_message, its UDH
/// skipped when esm_class has UDHI. data_coding 8 is UCS-2, 3 Latin-1, 0 and 1 the GSM default
/// alphabet one septet per octet (Latin-1 when an octet is above 127, as some SMSCs send); any
/// other coding is read as Latin-1. Never fails: an SMSC that was acknowledged will not send
/// the message again, so what cannot be read becomes U+FFFD rather than nothing.
std::string inboundText(const mobisync::smpp::ShortMessage& deliver);

/// The InboundMessage a deliver_sm carries (call it for one receiptFrom() refused): from is
/// source_addr, as E.164 digits without '+' when its TON is international; to is
/// destination_addr; received_at_ms is `now_ms`.
plugin::InboundMessage inboundFrom(const mobisync::smpp::ShortMessage& deliver,
                                   std::int64_t now_ms);

/// The messages acknowledged to the SMSC and not yet taken by the host. Never drops one: the
/// SMSC considers each delivered once it has its deliver_sm_resp. Thread-safe.
class InboundQueue {
 public:
  void add(plugin::InboundMessage message);
  std::vector<plugin::InboundMessage> take();

 private:
  std::mutex mutex_;
  std::vector<plugin::InboundMessage> held_;
};

}  // namespace mobisync::plugins::smpp
