// SPDX-License-Identifier: Apache-2.0
// Contact and RejectedRow: the value types a source hands to the engine.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mobisync {

/// One person as a source sees them. Sources fill `msisdn` as found (any national or
/// international spelling); the engine normalises it to E.164 digits without '+'.
/// `applications` holds tokens such as "contacts:42"; when empty, the job's fixed list applies.
/// `position` says where the row came from ("contacts.csv:12", "uid=ann,ou=people,...") so a
/// rejection can name it. Value type.
struct Contact {
  std::string msisdn;
  std::string name;
  std::string reference;
  std::vector<std::string> applications;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string position;
};

/// A source row that could not become a Contact: where it was, what it held, and why.
struct RejectedRow {
  std::string position;
  std::string raw;
  std::string reason;
};

}  // namespace mobisync
