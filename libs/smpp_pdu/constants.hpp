// SPDX-License-Identifier: Apache-2.0
// SMPP v3.4 numbers: command ids, command_status values, TLV tags, field limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mobisync::smpp {

/// command_id values (SMPP v3.4 section 5.1.2.1) with their names in the spec, each once: the
/// constants below and commandName() are both made from this list. A response is its request |
/// 0x80000000.
#define MOBISYNC_SMPP_COMMANDS(X)                               \
  X(kGenericNack, 0x80000000, "generic_nack")                   \
  X(kBindReceiver, 0x00000001, "bind_receiver")                 \
  X(kBindReceiverResp, 0x80000001, "bind_receiver_resp")        \
  X(kBindTransmitter, 0x00000002, "bind_transmitter")           \
  X(kBindTransmitterResp, 0x80000002, "bind_transmitter_resp")  \
  X(kQuerySm, 0x00000003, "query_sm")                           \
  X(kQuerySmResp, 0x80000003, "query_sm_resp")                  \
  X(kSubmitSm, 0x00000004, "submit_sm")                         \
  X(kSubmitSmResp, 0x80000004, "submit_sm_resp")                \
  X(kDeliverSm, 0x00000005, "deliver_sm")                       \
  X(kDeliverSmResp, 0x80000005, "deliver_sm_resp")              \
  X(kUnbind, 0x00000006, "unbind")                              \
  X(kUnbindResp, 0x80000006, "unbind_resp")                     \
  X(kReplaceSm, 0x00000007, "replace_sm")                       \
  X(kReplaceSmResp, 0x80000007, "replace_sm_resp")              \
  X(kCancelSm, 0x00000008, "cancel_sm")                         \
  X(kCancelSmResp, 0x80000008, "cancel_sm_resp")                \
  X(kBindTransceiver, 0x00000009, "bind_transceiver")           \
  X(kBindTransceiverResp, 0x80000009, "bind_transceiver_resp")  \
  X(kOutbind, 0x0000000B, "outbind")                            \
  X(kEnquireLink, 0x00000015, "enquire_link")                   \
  X(kEnquireLinkResp, 0x80000015, "enquire_link_resp")          \
  X(kSubmitMulti, 0x00000021, "submit_multi")                   \
  X(kAlertNotification, 0x00000102, "alert_notification")       \
  X(kDataSm, 0x00000103, "data_sm")

/// command_status values (section 5.1.3) an ESME meets, with their names, each once: the constants
/// below and statusName() are both made from this list.
#define MOBISYNC_SMPP_STATUSES(X)                     \
  X(kOk, 0x00, "ESME_ROK")                            \
  X(kInvMsgLen, 0x01, "ESME_RINVMSGLEN")              \
  X(kInvCmdLen, 0x02, "ESME_RINVCMDLEN")              \
  X(kInvCmdId, 0x03, "ESME_RINVCMDID")                \
  X(kInvBndSts, 0x04, "ESME_RINVBNDSTS")              \
  X(kAlyBnd, 0x05, "ESME_RALYBND")                    \
  X(kInvPrtFlg, 0x06, "ESME_RINVPRTFLG")              \
  X(kInvRegDlvFlg, 0x07, "ESME_RINVREGDLVFLG")        \
  X(kSysErr, 0x08, "ESME_RSYSERR")                    \
  X(kInvSrcAdr, 0x0A, "ESME_RINVSRCADR")              \
  X(kInvDstAdr, 0x0B, "ESME_RINVDSTADR")              \
  X(kInvMsgId, 0x0C, "ESME_RINVMSGID")                \
  X(kBindFail, 0x0D, "ESME_RBINDFAIL")                \
  X(kInvPaswd, 0x0E, "ESME_RINVPASWD")                \
  X(kInvSysId, 0x0F, "ESME_RINVSYSID")                \
  X(kMsgQFul, 0x14, "ESME_RMSGQFUL")                  \
  X(kInvSerTyp, 0x15, "ESME_RINVSERTYP")              \
  X(kInvEsmClass, 0x43, "ESME_RINVESMCLASS")          \
  X(kSubmitFail, 0x45, "ESME_RSUBMITFAIL")            \
  X(kInvSrcTon, 0x48, "ESME_RINVSRCTON")              \
  X(kInvSrcNpi, 0x49, "ESME_RINVSRCNPI")              \
  X(kInvDstTon, 0x50, "ESME_RINVDSTTON")              \
  X(kInvDstNpi, 0x51, "ESME_RINVDSTNPI")              \
  X(kInvSysTyp, 0x53, "ESME_RINVSYSTYP")              \
  X(kThrottled, 0x58, "ESME_RTHROTTLED")              \
  X(kInvSched, 0x61, "ESME_RINVSCHED")                \
  X(kInvExpiry, 0x62, "ESME_RINVEXPIRY")              \
  X(kInvOptParStream, 0xC0, "ESME_RINVOPTPARSTREAM")  \
  X(kOptParNotAllwd, 0xC1, "ESME_ROPTPARNOTALLWD")    \
  X(kInvParLen, 0xC2, "ESME_RINVPARLEN")              \
  X(kMissingOptParam, 0xC3, "ESME_RMISSINGOPTPARAM")  \
  X(kInvOptParamVal, 0xC4, "ESME_RINVOPTPARAMVAL")    \
  X(kDeliveryFailure, 0xFE, "ESME_RDELIVERYFAILURE")  \
  X(kUnknownErr, 0xFF, "ESME_RUNKNOWNERR")

#define MOBISYNC_SMPP_CONSTANT(name, value, text) inline constexpr std::uint32_t name = value;
namespace cmd {
MOBISYNC_SMPP_COMMANDS(MOBISYNC_SMPP_CONSTANT)
inline constexpr std::uint32_t kResponseBit = 0x80000000;
}  // namespace cmd

namespace status {
MOBISYNC_SMPP_STATUSES(MOBISYNC_SMPP_CONSTANT)
}  // namespace status
#undef MOBISYNC_SMPP_CONSTANT

/// Optional parameter tags (section 5.3.2) this codec parses; others are kept as raw TLVs.
namespace tag {
inline constexpr std::uint16_t kDestSubaddress = 0x0203;
inline constexpr std::uint16_t kReceiptedMessageId = 0x001E;
inline constexpr std::uint16_t kMessageState = 0x0427;
inline constexpr std::uint16_t kSarMsgRefNum = 0x020C;
inline constexpr std::uint16_t kSarTotalSegments = 0x020E;
inline constexpr std::uint16_t kSarSegmentSeqnum = 0x020F;
inline constexpr std::uint16_t kMessagePayload = 0x0424;
inline constexpr std::uint16_t kScInterfaceVersion = 0x0210;
inline constexpr std::uint16_t kNetworkErrorCode = 0x0423;
}  // namespace tag

/// Field sizes including the terminating NUL (section 5.2), and frame limits.
namespace limit {
inline constexpr std::size_t kHeaderLength = 16;
/// The largest PDU accepted: a 64 KiB message_payload plus every fixed field, rounded up. Larger
/// command_length values are garbage or hostile, not SMPP.
inline constexpr std::size_t kMaxCommandLength = 70 * 1024;
inline constexpr std::size_t kSystemId = 16;
inline constexpr std::size_t kPassword = 9;
inline constexpr std::size_t kSystemType = 13;
inline constexpr std::size_t kAddressRange = 41;
inline constexpr std::size_t kServiceType = 6;
inline constexpr std::size_t kAddress = 21;
inline constexpr std::size_t kAlertAddress = 65;
inline constexpr std::size_t kTime = 17;
inline constexpr std::size_t kMessageId = 65;
inline constexpr std::size_t kShortMessage = 254;
}  // namespace limit

inline constexpr std::uint8_t kInterfaceVersion34 = 0x34;
/// esm_class bit: short_message starts with a user data header (concatenation).
inline constexpr std::uint8_t kEsmUdhi = 0x40;
/// esm_class message type bits for an SMSC delivery receipt in deliver_sm.
inline constexpr std::uint8_t kEsmDeliveryReceipt = 0x04;

/// Type of number and numbering plan of an address (section 5.2.5, 5.2.6): the values the ESME
/// writes and reads.
namespace ton {
inline constexpr std::uint8_t kInternational = 1;
inline constexpr std::uint8_t kAlphanumeric = 5;
}  // namespace ton
namespace npi {
inline constexpr std::uint8_t kUnknown = 0;
inline constexpr std::uint8_t kIsdn = 1;
}  // namespace npi

/// data_coding values (section 5.2.19) the ESME encodes or decodes.
namespace coding {
inline constexpr std::uint8_t kDefault = 0x00;  ///< the SMSC's default alphabet (GSM 03.38)
inline constexpr std::uint8_t kIa5 = 0x01;
inline constexpr std::uint8_t kLatin1 = 0x03;
inline constexpr std::uint8_t kUcs2 = 0x08;
}  // namespace coding

/// "submit_sm", "bind_transceiver_resp", ... or "command 0x%08x" for unknown ids.
std::string commandName(std::uint32_t command_id);
/// True for every command_id defined by SMPP v3.4 (requests and responses).
bool isKnownCommand(std::uint32_t command_id);
/// "ESME_RTHROTTLED", ... or "status 0x%08x" for values not in the table.
std::string statusName(std::uint32_t command_status);
/// message_state values (section 5.2.28) as receipts spell them: 2 -> "DELIVRD", ...
const char* messageStateName(std::uint8_t state);

}  // namespace mobisync::smpp
