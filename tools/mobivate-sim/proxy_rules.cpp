// SPDX-License-Identifier: Apache-2.0
// Validation rules of the contacts proxy API, kept apart so new APIs can share them.
#include "proxy_rules.hpp"

#include <array>

namespace mobisync::sim {
namespace {

bool allDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

bool isValidMsisdn(std::string_view msisdn) {
  return msisdn.size() >= 8 && msisdn.size() <= 15 && allDigits(msisdn);
}

bool isValidApplication(std::string_view token) {
  // The wiki once wrote "optouts:call"; the API itself documents "optouts:calls" only, and a
  // simulator that is stricter than the provider catches client typos earlier.
  static constexpr std::array<std::string_view, 3> kFixed = {"appointments", "optouts:sms",
                                                             "optouts:calls"};
  static constexpr std::array<std::string_view, 3> kWithId = {
      "recurring:", "contacts:", "callcentre:"};
  for (std::string_view fixed : kFixed) {
    if (token == fixed) {
      return true;
    }
  }
  for (std::string_view prefix : kWithId) {
    if (token.substr(0, prefix.size()) == prefix) {
      return allDigits(token.substr(prefix.size()));
    }
  }
  return false;
}

std::vector<std::string> splitApplications(std::string_view list) {
  std::vector<std::string> tokens;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view piece = list.substr(0, comma);
    if (!piece.empty()) {
      tokens.emplace_back(piece);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return tokens;
}

}  // namespace mobisync::sim
