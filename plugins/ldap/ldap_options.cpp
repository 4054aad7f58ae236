// SPDX-License-Identifier: Apache-2.0
// The LDAP source's options: its config keys, read and checked once at init().
#include "ldap_options.hpp"

#include <ldap.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/text.hpp"

namespace mobisync::plugins::ldap {

namespace {

constexpr std::int64_t kMaxPageSize = 1000000;
constexpr std::int64_t kMaxTimeoutSeconds = 3600;

std::string trim(const std::string& s) { return std::string(text::trimBlanks(s)); }

std::vector<std::string> splitDefault(const char* text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    out.push_back(trim(item));
  }
  return out;
}

Status attributeList(const plugin::ConfigValues& config, const char* key, const char* fallback,
                     bool required, std::vector<std::string>& out) {
  out = config.has(key) ? config.list(key) : splitDefault(fallback);
  std::set<std::string> seen;
  for (const std::string& name : out) {
    if (name.empty() || name.find_first_of(" \t,()=*") != std::string::npos) {
      return Status::invalidConfig(config.where(key) + ": " + text::quoted(name) +
                                   " is not an attribute name");
    }
    if (!seen.insert(text::lowerAscii(name)).second) {
      return Status::invalidConfig(config.where(key) + ": lists " + text::quoted(name) + " twice");
    }
  }
  if (required && out.empty()) {
    return Status::invalidConfig(config.where(key) + ": must name at least one attribute");
  }
  return Status::ok();
}

}  // namespace

std::string normaliseDn(const std::string& dn) {
  std::string out;
  char* normal = nullptr;
  // libldap parses escapes and multi-valued RDNs properly; the fallback only runs on DNs it
  // refuses, which then match nothing a server sends anyway.
  if (ldap_dn_normalize(dn.c_str(), LDAP_DN_FORMAT_LDAP, &normal, LDAP_DN_FORMAT_LDAPV3) ==
          LDAP_SUCCESS &&
      normal != nullptr) {
    out = normal;
  } else {
    out = dn;
  }
  if (normal != nullptr) ldap_memfree(normal);
  return text::lowerAscii(out);
}

bool parseGroupRule(const std::string& text, GroupRule& rule, std::string& error) {
  const auto arrow = text.find("=>");
  if (arrow == std::string::npos) {
    error = text::quoted(text) + " has no \"=>\"; write \"<group DN> => contacts:42\"";
    return false;
  }
  rule.group_dn = trim(text.substr(0, arrow));
  if (rule.group_dn.empty()) {
    error = text::quoted(text) + " has no group DN before \"=>\"";
    return false;
  }
  rule.normalised_dn = normaliseDn(rule.group_dn);
  rule.tokens.clear();
  std::istringstream in(text.substr(arrow + 2));
  std::string token;
  while (std::getline(in, token, ',')) {
    token = trim(token);
    if (!token.empty() &&
        std::find(rule.tokens.begin(), rule.tokens.end(), token) == rule.tokens.end()) {
      rule.tokens.push_back(token);
    }
  }
  if (rule.tokens.empty()) {
    error = text::quoted(text) + " names no application token after \"=>\"";
    return false;
  }
  return true;
}

Result<Options> readOptions(const plugin::ConfigValues& config) {
  Options out;
  out.uri = config.string("uri");
  if (out.uri.empty()) {
    return Status::invalidConfig(config.where("uri") +
                                 ": is required, e.g. \"ldaps://ldap.example.org\"");
  }
  if (out.uri.rfind("ldap://", 0) != 0 && out.uri.rfind("ldaps://", 0) != 0 &&
      out.uri.rfind("ldapi://", 0) != 0) {
    return Status::invalidConfig(config.where("uri") + ": " + text::quoted(out.uri) +
                                 " must start with ldap://, ldaps:// or ldapi://");
  }
  out.start_tls = config.boolean("start_tls", false);
  if (out.start_tls && out.uri.rfind("ldap://", 0) != 0) {
    return Status::invalidConfig(config.where("start_tls") +
                                 ": applies to ldap:// URIs only; ldaps:// is TLS already");
  }
  out.ca_file = config.string("ca_file");
  if (!out.ca_file.empty() && !out.start_tls && out.uri.rfind("ldap://", 0) == 0) {
    // Most likely a forgotten start_tls, which would send the password in plain text.
    return Status::invalidConfig(config.where("ca_file") +
                                 ": is set but the connection is not TLS; use ldaps:// or "
                                 "start_tls = true");
  }
  out.bind_dn = config.string("bind_dn");
  out.bind_password = config.string("bind_password");
  if (!out.bind_password.empty() && out.bind_dn.empty()) {
    return Status::invalidConfig(config.where("bind_password") +
                                 ": is set but bind_dn is not; set both, or neither for an "
                                 "anonymous bind");
  }
  if (!out.bind_dn.empty() && out.bind_password.empty()) {
    // An empty password is an unauthenticated bind (RFC 4513 5.1.2): it succeeds as anonymous,
    // which would read a different (smaller) tree than the administrator meant.
    return Status::invalidConfig(config.where("bind_dn") +
                                 ": needs bind_password_env or bind_password_file");
  }

  out.base = config.string("base");
  if (out.base.empty()) {
    return Status::invalidConfig(config.where("base") +
                                 ": is required, e.g. \"ou=people,dc=example,dc=org\"");
  }
  const std::string scope = config.string("scope", kDefaultScope);
  if (scope == "sub") {
    out.scope = Scope::Sub;
  } else if (scope == "one") {
    out.scope = Scope::One;
  } else if (scope == "base") {
    out.scope = Scope::Base;
  } else {
    return Status::invalidConfig(config.where("scope") + ": must be \"sub\", \"one\" or \"base\", got " +
                                 text::quoted(scope));
  }
  out.filter = config.string("filter", kDefaultFilter);
  if (out.filter.empty()) {
    return Status::invalidConfig(config.where("filter") + ": must not be empty");
  }

  if (Status s = attributeList(config, "msisdn_attributes", kDefaultMsisdnAttributes, true,
                               out.msisdn_attributes);
      !s) {
    return s;
  }
  if (Status s = attributeList(config, "name_attributes", kDefaultNameAttributes, false,
                               out.name_attributes);
      !s) {
    return s;
  }
  if (Status s = attributeList(config, "reference_attributes", kDefaultReferenceAttributes, false,
                               out.reference_attributes);
      !s) {
    return s;
  }
  if (Status s = attributeList(config, "attributes", "", false, out.attributes); !s) {
    return s;
  }

  const std::string multiple = config.string("multiple_numbers", kDefaultMultipleNumbers);
  if (multiple != "first" && multiple != "all") {
    return Status::invalidConfig(config.where("multiple_numbers") +
                                 ": must be \"first\" or \"all\", got " + text::quoted(multiple));
  }
  out.all_numbers = multiple == "all";

  const std::string mode = config.string("group_mode", kDefaultGroupMode);
  if (mode == "memberof") {
    out.group_mode = GroupMode::MemberOf;
  } else if (mode == "member") {
    out.group_mode = GroupMode::Member;
  } else {
    return Status::invalidConfig(config.where("group_mode") +
                                 ": must be \"memberof\" or \"member\", got " + text::quoted(mode));
  }
  out.member_attribute = config.string("member_attribute", kDefaultMemberAttribute);
  if (out.member_attribute.empty()) {
    return Status::invalidConfig(config.where("member_attribute") + ": must not be empty");
  }
  std::set<std::string> seen_groups;
  for (const std::string& text : config.list("groups")) {
    GroupRule rule;
    std::string error;
    if (!parseGroupRule(text, rule, error)) {
      return Status::invalidConfig(config.where("groups") + ": " + error);
    }
    if (!seen_groups.insert(rule.normalised_dn).second) {
      return Status::invalidConfig(config.where("groups") + ": names group " +
                                   text::quoted(rule.group_dn) + " twice; list its tokens in one rule");
    }
    out.groups.push_back(std::move(rule));
  }

  const std::int64_t page_size = config.integer("page_size", kDefaultPageSize);
  if (page_size < 0 || page_size > kMaxPageSize) {
    return Status::invalidConfig(config.where("page_size") + ": must be 0 (no paging) to " +
                                 std::to_string(kMaxPageSize) + ", got " +
                                 std::to_string(page_size));
  }
  out.page_size = static_cast<int>(page_size);
  const std::int64_t timeout = config.integer("timeout_seconds", kDefaultTimeoutSeconds);
  if (timeout < 1 || timeout > kMaxTimeoutSeconds) {
    return Status::invalidConfig(config.where("timeout_seconds") + ": must be 1 to " +
                                 std::to_string(kMaxTimeoutSeconds) + ", got " +
                                 std::to_string(timeout));
  }
  out.timeout = std::chrono::seconds(timeout);
  return out;
}

}  // namespace mobisync::plugins::ldap
