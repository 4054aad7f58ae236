// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/detail/body_layout.hpp"

#include <cstdio>

namespace mobisync::smpp::detail {

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

bool mayOmitBody(Layout layout, const Header& header) {
  return isResponse(header.command_id) && header.command_status != status::kOk &&
         layout != Layout::Unknown && layout != Layout::Unsupported;
}

std::string tagName(std::uint16_t t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "tlv 0x%04x", t);
  return buf;
}

}  // namespace mobisync::smpp::detail
