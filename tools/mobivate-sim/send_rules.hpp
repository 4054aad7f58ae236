// SPDX-License-Identifier: Apache-2.0
// The provider's rules for a message to send, shared by the JSON, Simple and SMPP front ends.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "message_store.hpp"

namespace mobisync::sim {

/// Why `originator` is refused, or nullopt when it is a valid sender (mobisync::sms's rule: up to
/// 11 alphanumerics with at least one non-digit, or up to 15 digits with an optional '+').
std::optional<std::string> originatorProblem(std::string_view originator);

/// Fills parts and coding of `message` from its text; the reason when the text is not UTF-8.
std::optional<std::string> measureInto(SentMessage& message);

/// A fresh random UUID in canonical text form, as the provider's ids are.
std::string newMessageId();

/// The opted-out recipients; read-only after construction.
using OptoutList = std::set<std::string>;

}  // namespace mobisync::sim
