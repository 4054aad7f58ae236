// SPDX-License-Identifier: Apache-2.0
// The sender id of an SMS: an alphanumeric name or a number, as networks accept them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::sms {

/// What kind of sender id an originator is.
enum class OriginatorKind { Alphanumeric, Numeric };

/// Longest alphanumeric originator (the 7-bit packed TP-OA holds 11 characters).
inline constexpr std::size_t kMaxAlphanumericOriginator = 11;
/// Longest numeric originator (E.164 has at most 15 digits).
inline constexpr std::size_t kMaxNumericOriginator = 15;

namespace detail {

// Printable ASCII of the GSM default alphabet that needs no escape: networks pass these in an
// alphanumeric sender id; extension characters ([ ] { } ~ ^ \ |) and ` would cost two septets
// or be replaced.
inline bool isOriginatorCharacter(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" !\"#$%&'()*+,-./:;<=>?@_").find(c) != std::string_view::npos;
}

}  // namespace detail

/// Checks a sender id: up to 11 GSM alphanumerics (letters, digits, space, common punctuation)
/// with at least one non-digit, or up to 15 digits with an optional leading '+'. Anything else
/// gives an InvalidConfig Status saying why. Pure; thread-safe.
inline Result<OriginatorKind> checkOriginator(std::string_view originator) {
  const std::string quoted = "originator \"" + std::string(originator) + "\"";
  if (originator.empty()) return Status::invalidConfig("originator is empty");

  std::string_view digits = originator;
  if (digits.front() == '+') digits.remove_prefix(1);
  const bool numeric =
      !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  if (numeric) {
    if (digits.size() > kMaxNumericOriginator) {
      return Status::invalidConfig(quoted + " has " + std::to_string(digits.size()) +
                                   " digits; a numeric originator has at most 15");
    }
    return OriginatorKind::Numeric;
  }

  for (std::size_t i = 0; i < originator.size(); ++i) {
    if (!detail::isOriginatorCharacter(originator[i])) {
      return Status::invalidConfig(
          quoted + " has a character at byte " + std::to_string(i) +
          " that an alphanumeric originator cannot carry (allowed: ASCII letters, digits, space "
          "and !\"#$%&'()*+,-./:;<=>?@_)");
    }
  }
  if (originator.size() > kMaxAlphanumericOriginator) {
    return Status::invalidConfig(quoted + " has " + std::to_string(originator.size()) +
                                 " characters; an alphanumeric originator has at most 11");
  }
  if (originator.front() == ' ' || originator.back() == ' ') {
    return Status::invalidConfig(quoted + " starts or ends with a space");
  }
  return OriginatorKind::Alphanumeric;
}

}  // namespace mobisync::sms
