// SPDX-License-Identifier: Apache-2.0
// SMPP v3.4 numbers: command ids, command_status values, TLV tags, field limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mobisync::smpp {

/// command_id values (SMPP v3.4 section 5.1.2.1). A response is its request | 0x80000000.
namespace cmd {
inline constexpr std::uint32_t kGenericNack = 0x80000000;
inline constexpr std::uint32_t kBindReceiver = 0x00000001;
inline constexpr std::uint32_t kBindReceiverResp = 0x80000001;
inline constexpr std::uint32_t kBindTransmitter = 0x00000002;
inline constexpr std::uint32_t kBindTransmitterResp = 0x80000002;
inline constexpr std::uint32_t kQuerySm = 0x00000003;
inline constexpr std::uint32_t kSubmitSm = 0x00000004;
inline constexpr std::uint32_t kSubmitSmResp = 0x80000004;
inline constexpr std::uint32_t kDeliverSm = 0x00000005;
inline constexpr std::uint32_t kDeliverSmResp = 0x80000005;
inline constexpr std::uint32_t kUnbind = 0x00000006;
inline constexpr std::uint32_t kUnbindResp = 0x80000006;
inline constexpr std::uint32_t kReplaceSm = 0x00000007;
inline constexpr std::uint32_t kCancelSm = 0x00000008;
inline constexpr std::uint32_t kBindTransceiver = 0x00000009;
inline constexpr std::uint32_t kBindTransceiverResp = 0x80000009;
inline constexpr std::uint32_t kOutbind = 0x0000000B;
inline constexpr std::uint32_t kEnquireLink = 0x00000015;
inline constexpr std::uint32_t kEnquireLinkResp = 0x80000015;
inline constexpr std::uint32_t kSubmitMulti = 0x00000021;
inline constexpr std::uint32_t kAlertNotification = 0x00000102;
inline constexpr std::uint32_t kDataSm = 0x00000103;
inline constexpr std::uint32_t kResponseBit = 0x80000000;
}  // namespace cmd

/// command_status values (section 5.1.3) an ESME meets.
namespace status {
inline constexpr std::uint32_t kOk = 0x00;
inline constexpr std::uint32_t kInvMsgLen = 0x01;
inline constexpr std::uint32_t kInvCmdLen = 0x02;
inline constexpr std::uint32_t kInvCmdId = 0x03;
inline constexpr std::uint32_t kInvBndSts = 0x04;
inline constexpr std::uint32_t kAlyBnd = 0x05;
inline constexpr std::uint32_t kInvPrtFlg = 0x06;
inline constexpr std::uint32_t kInvRegDlvFlg = 0x07;
inline constexpr std::uint32_t kSysErr = 0x08;
inline constexpr std::uint32_t kInvSrcAdr = 0x0A;
inline constexpr std::uint32_t kInvDstAdr = 0x0B;
inline constexpr std::uint32_t kInvMsgId = 0x0C;
inline constexpr std::uint32_t kBindFail = 0x0D;
inline constexpr std::uint32_t kInvPaswd = 0x0E;
inline constexpr std::uint32_t kInvSysId = 0x0F;
inline constexpr std::uint32_t kMsgQFul = 0x14;
inline constexpr std::uint32_t kInvSerTyp = 0x15;
inline constexpr std::uint32_t kInvEsmClass = 0x43;
inline constexpr std::uint32_t kSubmitFail = 0x45;
inline constexpr std::uint32_t kInvSrcTon = 0x48;
inline constexpr std::uint32_t kInvSrcNpi = 0x49;
inline constexpr std::uint32_t kInvDstTon = 0x50;
inline constexpr std::uint32_t kInvDstNpi = 0x51;
inline constexpr std::uint32_t kInvSysTyp = 0x53;
inline constexpr std::uint32_t kThrottled = 0x58;
inline constexpr std::uint32_t kInvSched = 0x61;
inline constexpr std::uint32_t kInvExpiry = 0x62;
inline constexpr std::uint32_t kInvOptParStream = 0xC0;
inline constexpr std::uint32_t kOptParNotAllwd = 0xC1;
inline constexpr std::uint32_t kInvParLen = 0xC2;
inline constexpr std::uint32_t kMissingOptParam = 0xC3;
inline constexpr std::uint32_t kInvOptParamVal = 0xC4;
inline constexpr std::uint32_t kDeliveryFailure = 0xFE;
inline constexpr std::uint32_t kUnknownErr = 0xFF;
}  // namespace status

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

/// "submit_sm", "bind_transceiver_resp", ... or "command 0x%08x" for unknown ids.
std::string commandName(std::uint32_t command_id);
/// True for every command_id defined by SMPP v3.4 (requests and responses).
bool isKnownCommand(std::uint32_t command_id);
/// "ESME_RTHROTTLED", ... or "status 0x%08x" for values not in the table.
std::string statusName(std::uint32_t command_status);
/// message_state values (section 5.2.28) as receipts spell them: 2 -> "DELIVRD", ...
const char* messageStateName(std::uint8_t state);

}  // namespace mobisync::smpp
