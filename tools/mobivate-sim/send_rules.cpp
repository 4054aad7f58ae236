// SPDX-License-Identifier: Apache-2.0
// Originator validation, message measurement and ids for the simulated send APIs.
#include "send_rules.hpp"

#include <Poco/UUIDGenerator.h>

#include "sms_shape.hpp"

namespace mobisync::sim {
namespace {

constexpr std::size_t kMaxAlphanumeric = 11;
constexpr std::size_t kMaxDigits = 15;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isAllowedAlphanumeric(char c) {
  static constexpr std::string_view kPunctuation = " .-_&'!?#()/:,+@*%";
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         kPunctuation.find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> originatorProblem(std::string_view originator) {
  if (originator.empty()) {
    return "missing originator";
  }
  std::string_view digits = originator.front() == '+' ? originator.substr(1) : originator;
  bool numeric = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
  if (numeric) {
    if (digits.size() > kMaxDigits) {
      return "originator '" + std::string(originator) + "' is longer than 15 digits";
    }
    return std::nullopt;
  }
  for (char c : originator) {
    if (!isAllowedAlphanumeric(c)) {
      return "originator '" + std::string(originator) +
             "' has a character other than letters, digits, space or common punctuation";
    }
  }
  if (originator.size() > kMaxAlphanumeric) {
    return "originator '" + std::string(originator) + "' is longer than 11 characters";
  }
  return std::nullopt;
}

std::optional<std::string> measureInto(SentMessage& message) {
  std::optional<SmsShape> shape = measureSms(message.text);
  if (!shape) {
    return "message text is not valid UTF-8";
  }
  message.coding = shape->coding;
  message.parts = shape->parts;
  return std::nullopt;
}

std::string newMessageId() {
  return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace mobisync::sim
