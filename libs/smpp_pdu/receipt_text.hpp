// SPDX-License-Identifier: Apache-2.0
// The delivery-receipt text SMSCs put in deliver_sm short_message (SMPP v3.4 appendix B):
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD
//   err:E text: ...
// and message ids, which SMSCs write in hex in one place and in decimal in another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mobisync::smpp {

/// The fields of a receipt text. Absent fields stay empty; values are as written (trimmed).
struct ReceiptText {
  std::string id;
  std::string sub;
  std::string dlvrd;
  std::string submit_date;
  std::string done_date;
  std::string stat;  ///< upper-cased: DELIVRD, UNDELIV, EXPIRED, ...
  std::string err;
  std::string text;  ///< everything after "text:", to the end
};

/// Parses a receipt text. Keys are matched without regard to case and in any order, missing
/// fields are allowed, unknown words are skipped. Returns nullopt when neither an id nor a stat
/// is present (then it is not a receipt).
std::optional<ReceiptText> parseReceiptText(std::string_view text);

/// "YYMMDDhhmm" or "YYMMDDhhmmss" (UTC assumed, years 2000..2099) as ms since the epoch, or
/// nullopt when malformed.
std::optional<std::int64_t> parseReceiptDate(std::string_view date);

/// The forms a message id may take on the other side. The first is canonical (trimmed,
/// lower-cased, leading zeros of a number dropped); when the id reads as a number in one base,
/// its value written in the other base follows (decimal <-> hex). Match a receipt by its
/// canonical form first and only then by the others: sequential decimal ids collide across
/// bases ("16" in decimal is "10" in hex).
std::vector<std::string> messageIdForms(std::string_view id);

}  // namespace mobisync::smpp
