// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/constants.hpp"

#include <cstdio>
#include <utility>

namespace mobisync::smpp {
namespace {

std::string hex(const char* prefix, std::uint32_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s0x%08x", prefix, v);
  return buf;
}

#define MOBISYNC_SMPP_ENTRY(name, value, text) {value, text},
constexpr std::pair<std::uint32_t, const char*> kCommands[] = {
    MOBISYNC_SMPP_COMMANDS(MOBISYNC_SMPP_ENTRY)};
constexpr std::pair<std::uint32_t, const char*> kStatuses[] = {
    MOBISYNC_SMPP_STATUSES(MOBISYNC_SMPP_ENTRY)};
#undef MOBISYNC_SMPP_ENTRY

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
