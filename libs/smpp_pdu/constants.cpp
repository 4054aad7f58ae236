// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/constants.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace mobisync::smpp {
namespace {

std::string hex(const char* prefix, std::uint32_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s0x%08x", prefix, v);
  return buf;
}

constexpr std::array<std::pair<std::uint32_t, const char*>, 25> kCommands{{
    {cmd::kGenericNack, "generic_nack"},
    {cmd::kBindReceiver, "bind_receiver"},
    {cmd::kBindReceiverResp, "bind_receiver_resp"},
    {cmd::kBindTransmitter, "bind_transmitter"},
    {cmd::kBindTransmitterResp, "bind_transmitter_resp"},
    {cmd::kQuerySm, "query_sm"},
    {cmd::kQuerySm | cmd::kResponseBit, "query_sm_resp"},
    {cmd::kSubmitSm, "submit_sm"},
    {cmd::kSubmitSmResp, "submit_sm_resp"},
    {cmd::kDeliverSm, "deliver_sm"},
    {cmd::kDeliverSmResp, "deliver_sm_resp"},
    {cmd::kUnbind, "unbind"},
    {cmd::kUnbindResp, "unbind_resp"},
    {cmd::kReplaceSm, "replace_sm"},
    {cmd::kReplaceSm | cmd::kResponseBit, "replace_sm_resp"},
    {cmd::kCancelSm, "cancel_sm"},
    {cmd::kCancelSm | cmd::kResponseBit, "cancel_sm_resp"},
    {cmd::kBindTransceiver, "bind_transceiver"},
    {cmd::kBindTransceiverResp, "bind_transceiver_resp"},
    {cmd::kOutbind, "outbind"},
    {cmd::kEnquireLink, "enquire_link"},
    {cmd::kEnquireLinkResp, "enquire_link_resp"},
    {cmd::kSubmitMulti, "submit_multi"},
    {cmd::kAlertNotification, "alert_notification"},
    {cmd::kDataSm, "data_sm"},
}};

constexpr std::array<std::pair<std::uint32_t, const char*>, 34> kStatuses{{
    {status::kOk, "ESME_ROK"},
    {status::kInvMsgLen, "ESME_RINVMSGLEN"},
    {status::kInvCmdLen, "ESME_RINVCMDLEN"},
    {status::kInvCmdId, "ESME_RINVCMDID"},
    {status::kInvBndSts, "ESME_RINVBNDSTS"},
    {status::kAlyBnd, "ESME_RALYBND"},
    {status::kInvPrtFlg, "ESME_RINVPRTFLG"},
    {status::kInvRegDlvFlg, "ESME_RINVREGDLVFLG"},
    {status::kSysErr, "ESME_RSYSERR"},
    {status::kInvSrcAdr, "ESME_RINVSRCADR"},
    {status::kInvDstAdr, "ESME_RINVDSTADR"},
    {status::kInvMsgId, "ESME_RINVMSGID"},
    {status::kBindFail, "ESME_RBINDFAIL"},
    {status::kInvPaswd, "ESME_RINVPASWD"},
    {status::kInvSysId, "ESME_RINVSYSID"},
    {status::kMsgQFul, "ESME_RMSGQFUL"},
    {status::kInvSerTyp, "ESME_RINVSERTYP"},
    {status::kInvEsmClass, "ESME_RINVESMCLASS"},
    {status::kSubmitFail, "ESME_RSUBMITFAIL"},
    {status::kInvSrcTon, "ESME_RINVSRCTON"},
    {status::kInvSrcNpi, "ESME_RINVSRCNPI"},
    {status::kInvDstTon, "ESME_RINVDSTTON"},
    {status::kInvDstNpi, "ESME_RINVDSTNPI"},
    {status::kInvSysTyp, "ESME_RINVSYSTYP"},
    {status::kThrottled, "ESME_RTHROTTLED"},
    {status::kInvSched, "ESME_RINVSCHED"},
    {status::kInvExpiry, "ESME_RINVEXPIRY"},
    {status::kInvOptParStream, "ESME_RINVOPTPARSTREAM"},
    {status::kOptParNotAllwd, "ESME_ROPTPARNOTALLWD"},
    {status::kInvParLen, "ESME_RINVPARLEN"},
    {status::kMissingOptParam, "ESME_RMISSINGOPTPARAM"},
    {status::kInvOptParamVal, "ESME_RINVOPTPARAMVAL"},
    {status::kDeliveryFailure, "ESME_RDELIVERYFAILURE"},
    {status::kUnknownErr, "ESME_RUNKNOWNERR"},
}};

}  // namespace

std::string commandName(std::uint32_t command_id) {
  for (const auto& [id, name] : kCommands) {
    if (id == command_id) return name;
  }
  return hex("command ", command_id);
}

bool isKnownCommand(std::uint32_t command_id) {
  for (const auto& entry : kCommands) {
    if (entry.first == command_id) return true;
  }
  return command_id == (cmd::kSubmitMulti | cmd::kResponseBit) ||
         command_id == (cmd::kDataSm | cmd::kResponseBit);
}

std::string statusName(std::uint32_t command_status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == command_status) return name;
  }
  return hex("status ", command_status);
}

const char* messageStateName(std::uint8_t state) {
  switch (state) {
    case 1: return "ENROUTE";
    case 2: return "DELIVRD";
    case 3: return "EXPIRED";
    case 4: return "DELETED";
    case 5: return "UNDELIV";
    case 6: return "ACCEPTD";
    case 7: return "UNKNOWN";
    case 8: return "REJECTD";
    default: return "UNKNOWN";
  }
}

}  // namespace mobisync::smpp
