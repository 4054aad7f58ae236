// SPDX-License-Identifier: Apache-2.0
// EntryMapper: one directory entry to Contacts, by the attribute mapping and group rules.
#include "ldap_mapper.hpp"

#include <algorithm>
#include <strings.h>

#include <utility>

namespace mobisync::plugins::ldap {

namespace {

bool sameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

void addTokens(const GroupRule& rule, std::vector<std::string>& tokens) {
  for (const std::string& token : rule.tokens) {
    if (std::find(tokens.begin(), tokens.end(), token) == tokens.end()) {
      tokens.push_back(token);
    }
  }
}

// The mapper never binds; its copy of the options need not carry the password.
Options withoutSecrets(Options options) {
  options.bind_password.clear();
  return options;
}

}  // namespace

const std::vector<std::string>* EntryData::find(const std::string& name) const {
  for (const auto& [attribute, values] : attributes) {
    if (sameName(attribute, name)) return &values;
  }
  return nullptr;
}

EntryMapper::EntryMapper(Options options) : options_(withoutSecrets(std::move(options))) {
  for (const GroupRule& rule : options_.groups) {
    rules_by_dn_.emplace(rule.normalised_dn, &rule);
  }
}

std::vector<std::string> EntryMapper::requestedAttributes() const {
  std::vector<std::string> out;
  const auto add = [&out](const std::string& name) {
    if (std::none_of(out.begin(), out.end(),
                     [&name](const std::string& n) { return sameName(n, name); })) {
      out.push_back(name);
    }
  };
  for (const auto* list : {&options_.msisdn_attributes, &options_.name_attributes,
                           &options_.reference_attributes, &options_.attributes}) {
    for (const std::string& name : *list) add(name);
  }
  if (!options_.groups.empty() && options_.group_mode == GroupMode::MemberOf) add("memberOf");
  return out;
}

void EntryMapper::addMember(const std::string& member_dn, std::size_t rule_index) {
  const GroupRule* rule = &options_.groups.at(rule_index);
  auto& rules = members_[normaliseDn(member_dn)];
  if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
}

const std::string* EntryMapper::firstValue(const EntryData& entry,
                                           const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    const auto* values = entry.find(name);
    if (values == nullptr) continue;
    for (const std::string& v : *values) {
      if (!v.empty()) return &v;
    }
  }
  return nullptr;
}

void EntryMapper::tokensFor(const EntryData& entry, std::vector<std::string>& tokens) const {
  // Rule order, not the server's value order, so the tokens of one person are stable.
  if (options_.group_mode == GroupMode::MemberOf) {
    const auto* member_of = entry.find("memberOf");
    if (member_of == nullptr) return;
    std::vector<const GroupRule*> matched;
    for (const std::string& group : *member_of) {
      auto it = rules_by_dn_.find(normaliseDn(group));
      if (it != rules_by_dn_.end()) matched.push_back(it->second);
    }
    for (const GroupRule& rule : options_.groups) {
      if (std::find(matched.begin(), matched.end(), &rule) != matched.end()) addTokens(rule, tokens);
    }
    return;
  }
  auto it = members_.find(normaliseDn(entry.dn));
  if (it == members_.end()) return;
  for (const GroupRule& rule : options_.groups) {
    if (std::find(it->second.begin(), it->second.end(), &rule) != it->second.end()) {
      addTokens(rule, tokens);
    }
  }
}

EntryMapper::Outcome EntryMapper::map(const EntryData& entry, std::vector<Contact>& out,
                                      RejectedRow& reject) const {
  out.clear();
  std::vector<std::string> tokens;
  if (!options_.groups.empty()) {
    tokensFor(entry, tokens);
    if (tokens.empty()) return Outcome::NotInGroup;
  }

  // The first attribute in the fallback order that has a value supplies the number(s).
  const std::vector<std::string>* numbers = nullptr;
  for (const std::string& name : options_.msisdn_attributes) {
    const auto* values = entry.find(name);
    if (values != nullptr &&
        std::any_of(values->begin(), values->end(), [](const std::string& v) { return !v.empty(); })) {
      numbers = values;
      break;
    }
  }
  if (numbers == nullptr) {
    reject.position = entry.dn;
    reject.raw.clear();
    reject.reason = "no number: the entry has none of the attributes ";
    for (std::size_t i = 0; i < options_.msisdn_attributes.size(); ++i) {
      if (i != 0) reject.reason += ", ";
      reject.reason += options_.msisdn_attributes[i];
    }
    return Outcome::Rejected;
  }

  Contact base;
  if (const auto* name = firstValue(entry, options_.name_attributes)) base.name = *name;
  if (const auto* reference = firstValue(entry, options_.reference_attributes)) {
    base.reference = *reference;
  }
  for (const std::string& attribute : options_.attributes) {
    if (const auto* values = entry.find(attribute); values != nullptr && !values->empty()) {
      base.attributes.emplace_back(attribute, values->front());
    }
  }
  base.applications = std::move(tokens);
  base.position = entry.dn;

  for (const std::string& number : *numbers) {
    if (number.empty()) continue;
    Contact c = base;
    c.msisdn = number;
    out.push_back(std::move(c));
    if (!options_.all_numbers) break;
  }
  return Outcome::Contacts;
}

}  // namespace mobisync::plugins::ldap
