// SPDX-License-Identifier: Apache-2.0
// The provider's input rules for the contacts proxy API: msisdn shape and application tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mobisync::sim {

/// True for 8 to 15 ASCII digits: E.164 without '+', as the provider identifies a contact.
bool isValidMsisdn(std::string_view msisdn);

/// True for the tokens the provider accepts: `appointments`, `recurring:<digits>`,
/// `contacts:<digits>`, `callcentre:<digits>`, `optouts:sms`, `optouts:calls`.
bool isValidApplication(std::string_view token);

/// Splits the comma-separated `applications` parameter; empty pieces ("a,,b", "a,") are dropped.
std::vector<std::string> splitApplications(std::string_view list);

}  // namespace mobisync::sim
