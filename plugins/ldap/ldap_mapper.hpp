// SPDX-License-Identifier: Apache-2.0
// EntryMapper: one directory entry to Contacts, by the attribute mapping and group rules.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ldap_options.hpp"
#include "mobisync/model/contact.hpp"

namespace mobisync::plugins::ldap {

/// One search result entry as read off the wire: its DN and the values of the requested
/// attributes, names in the server's spelling.
struct EntryData {
  std::string dn;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;

  /// The values of `name` (case-insensitive), or nullptr when the entry lacks it.
  const std::vector<std::string>* find(const std::string& name) const;
};

/// Applies the configured mapping. Holds no connection, so tests drive it with hand-made
/// entries. Not thread-safe.
class EntryMapper {
 public:
  enum class Outcome { Contacts, NotInGroup, Rejected };

  /// Keeps its own copy of `options`, so a temporary may be passed.
  explicit EntryMapper(Options options);
  EntryMapper(const EntryMapper&) = delete;  // rules_by_dn_ points into options_
  EntryMapper& operator=(const EntryMapper&) = delete;

  /// The attributes the search must request.
  std::vector<std::string> requestedAttributes() const;

  /// For group_mode = "member": records that the entry `member_dn` is in the group of
  /// options.groups[rule_index].
  void addMember(const std::string& member_dn, std::size_t rule_index);

  /// Maps `entry` into `out` (cleared first): one contact, or one per number with
  /// multiple_numbers = "all". NotInGroup when group rules exist and none matches; Rejected with
  /// `reject` filled when the entry has no number.
  Outcome map(const EntryData& entry, std::vector<Contact>& out, RejectedRow& reject) const;

 private:
  const std::string* firstValue(const EntryData& entry,
                                const std::vector<std::string>& names) const;
  void tokensFor(const EntryData& entry, std::vector<std::string>& tokens) const;

  const Options options_;
  std::unordered_map<std::string, const GroupRule*> rules_by_dn_;     // memberOf mode
  std::unordered_map<std::string, std::vector<const GroupRule*>> members_;  // member mode
};

}  // namespace mobisync::plugins::ldap
