// SPDX-License-Identifier: Apache-2.0
// The Session's handling of each PDU from the SMSC: requests (deliver_sm receipts and
// mobile-originated messages, enquire_link, unbind) are answered, responses settle what waits for them, and a PDU that does not decode is
// answered with the status its error names.
#include "session.hpp"

#include <chrono>

#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;
using Outcome = plugin::Delivery::Outcome;

void Session::handleRequest(const pdu::Pdu& p) {
  const pdu::Header& h = p.header;
  switch (h.command_id) {
    case pdu::cmd::kDeliverSm: {
      const auto* sm = p.as<pdu::ShortMessage>();
      // Filed before the answer: once the SMSC has its deliver_sm_resp it never sends it again.
      if (auto receipt = receiptFrom(*sm)) {
        receipts_.add(*receipt);
      } else {
        const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch()).count();
        inbound_.add(inboundFrom(*sm, now_ms));
      }
      sendPdu(pdu::makePdu(pdu::cmd::kDeliverSmResp, h.sequence_number, pdu::MessageResp{}));
      return;
    }
    case pdu::cmd::kEnquireLink:
      sendPdu(pdu::makePdu(pdu::cmd::kEnquireLinkResp, h.sequence_number));
      return;
    case pdu::cmd::kUnbind:
      sendPdu(pdu::makePdu(pdu::cmd::kUnbindResp, h.sequence_number));
      disconnect("the SMSC unbound");
      return;
    case pdu::cmd::kAlertNotification:
    case pdu::cmd::kOutbind:
      logger_.information(name_ + ": " + pdu::commandName(h.command_id) + " ignored");
      return;
    default:
      sendPdu(pdu::makePdu(pdu::cmd::kGenericNack, h.sequence_number, pdu::Empty{},
                           pdu::status::kInvCmdId));
  }
}

void Session::handleUndecodable(const pdu::DecodeError& e) {
  logger_.warning(name_ + ": refused a PDU from the SMSC: " + e.message());
  if ((e.command_id & pdu::cmd::kResponseBit) != 0) {
    // An answer we cannot read: whether that submit was taken is unknown, so the caller
    // decides (Retry) rather than this session resubmitting it.
    auto it = window_.find(e.sequence_number);
    if (e.command_id == pdu::cmd::kSubmitSmResp && it != window_.end()) {
      auto segment = std::move(it->second.segment);
      window_.erase(it);
      dispatcher_.failed(*segment, Outcome::Retry, "unreadable submit_sm_resp: " + e.message());
    }
    return;
  }
  if (e.command_id == pdu::cmd::kDeliverSm) {
    sendPdu(pdu::makePdu(pdu::cmd::kDeliverSmResp, e.sequence_number, pdu::Empty{}, e.status));
  } else {
    sendPdu(pdu::makePdu(pdu::cmd::kGenericNack, e.sequence_number, pdu::Empty{}, e.status));
  }
}

void Session::handle(const std::string& frame) {
  last_received_ = Clock::now();
  pdu::Decoded d = pdu::decode(frame);
  if (!d) return handleUndecodable(d.error);
  const pdu::Pdu& p = *d.pdu;
  const std::uint32_t id = p.header.command_id;
  if ((id & pdu::cmd::kResponseBit) == 0) return handleRequest(p);
  switch (id) {
    case pdu::cmd::kSubmitSmResp:
      return handleSubmitResp(p);
    case pdu::cmd::kGenericNack:
      if (window_.count(p.header.sequence_number) != 0) return handleSubmitResp(p);
      if (enquire_ && enquire_->first == p.header.sequence_number) enquire_.reset();
      logger_.warning(name_ + ": generic_nack " + pdu::statusName(p.header.command_status) +
                      " for sequence " + std::to_string(p.header.sequence_number));
      return;
    case pdu::cmd::kEnquireLinkResp:
      if (enquire_ && enquire_->first == p.header.sequence_number) enquire_.reset();
      return;
    case pdu::cmd::kUnbindResp:
      if (unbinding_) disconnect("unbound");
      return;
    default:
      logger_.information(name_ + ": " + pdu::commandName(id) + " ignored");
  }
}

}  // namespace mobisync::plugins::smpp
