// SPDX-License-Identifier: Apache-2.0
// The LDAP source's options: its config keys, read and checked once at init().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mobisync/plugin/config_values.hpp"
#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugins::ldap {

// Defaults, shared by the schema table (what users see) and readOptions() (what tests that build
// a ConfigValues by hand get), so the two cannot drift apart.
inline constexpr const char* kDefaultScope = "sub";
inline constexpr const char* kDefaultFilter = "(objectClass=inetOrgPerson)";
inline constexpr const char* kDefaultMsisdnAttributes = "mobile,telephoneNumber";
inline constexpr const char* kDefaultNameAttributes = "displayName,cn";
inline constexpr const char* kDefaultReferenceAttributes = "uid,employeeNumber";
inline constexpr const char* kDefaultMultipleNumbers = "first";
inline constexpr const char* kDefaultGroupMode = "memberof";
inline constexpr const char* kDefaultMemberAttribute = "member";
inline constexpr std::int64_t kDefaultPageSize = 1000;
inline constexpr std::int64_t kDefaultTimeoutSeconds = 30;

/// One `groups` entry: members of `group_dn` get `tokens`.
struct GroupRule {
  std::string group_dn;       ///< as written, for messages
  std::string normalised_dn;  ///< compared against memberOf values and member DNs
  std::vector<std::string> tokens;
};

enum class Scope { Base, One, Sub };
enum class GroupMode { MemberOf, Member };

/// Every key of the schema, validated: everything fetch() needs. Holds the bind password: never
/// print it. Value type.
struct Options {
  std::string uri;
  std::string bind_dn;  ///< empty: anonymous bind
  std::string bind_password;
  bool start_tls = false;
  std::string ca_file;
  std::string base;
  Scope scope = Scope::Sub;
  std::string filter = kDefaultFilter;
  std::vector<std::string> msisdn_attributes;
  std::vector<std::string> name_attributes;
  std::vector<std::string> reference_attributes;
  std::vector<std::string> attributes;  ///< kept as template attributes
  bool all_numbers = false;             ///< multiple_numbers = "all"
  std::vector<GroupRule> groups;
  GroupMode group_mode = GroupMode::MemberOf;
  std::string member_attribute = kDefaultMemberAttribute;
  int page_size = static_cast<int>(kDefaultPageSize);  ///< 0: no paging
  std::chrono::seconds timeout{kDefaultTimeoutSeconds};
};

/// Parses one `groups` entry, "<group DN> => token[, token...]".
/// @return false with `error` set when it has no "=>", no DN or no token.
bool parseGroupRule(const std::string& text, GroupRule& rule, std::string& error);

/// Lower-cases a DN and drops blanks around its separators, so "CN=Sales, ou=Groups,..." and
/// "cn=sales,ou=groups,..." compare equal. Directory attribute values for cn/ou/dc/uid are
/// case-insensitive, which is what this relies on.
std::string normaliseDn(const std::string& dn);

/// Reads `config` (already checked against the schema for types and required keys) and checks
/// values and combinations; errors name the key and where it was written, never a secret.
Result<Options> readOptions(const plugin::ConfigValues& config);

}  // namespace mobisync::plugins::ldap
