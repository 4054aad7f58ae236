// SPDX-License-Identifier: Apache-2.0
// Originator validation, message measurement and ids for the simulated send APIs.
#include "send_rules.hpp"

#include <Poco/UUIDGenerator.h>

#include "mobisync/sms/sms.hpp"

namespace mobisync::sim {

// The SDK's encoder and originator check are the ones the notifiers use, so the simulator
// counts parts and refuses originators exactly as the clients under test expect.
std::optional<std::string> originatorProblem(std::string_view originator) {
  if (originator.empty()) {
    return "missing originator";
  }
  Result<sms::OriginatorKind> kind = sms::checkOriginator(originator);
  if (!kind) {
    return kind.error().message();
  }
  return std::nullopt;
}

std::optional<std::string> measureInto(SentMessage& message) {
  Result<sms::Encoded> encoded = sms::encode(message.text);
  if (!encoded) {
    return "message text is not valid UTF-8: " + encoded.error().message();
  }
  message.coding = sms::codingName(encoded->coding);
  message.parts = encoded->partCount();
  return std::nullopt;
}

std::string newMessageId() {
  return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace mobisync::sim
