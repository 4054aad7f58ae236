// SPDX-License-Identifier: Apache-2.0
// RowMapper: a query's columns and cells to Contacts, by the configured column roles and rules.
#include "row_mapping.hpp"

#include <algorithm>

#include "mobisync/text.hpp"

namespace mobisync::plugins::odbc {

namespace {

// Enough names to recognise a query in an error message without flooding the log.
constexpr std::size_t kMaxListedColumns = 40;

void addToken(std::string_view token, std::vector<std::string>& out) {
  token = text::trimSpace(token);
  // Repeats add nothing: a contact belongs to an application once.
  if (!token.empty() && std::find(out.begin(), out.end(), token) == out.end()) {
    out.emplace_back(token);
  }
}

void split(std::string_view cell, std::string_view separator, std::vector<std::string>& out) {
  for (;;) {
    const std::size_t at = cell.find(separator);
    addToken(cell.substr(0, at), out);
    if (at == std::string_view::npos) {
      return;
    }
    cell.remove_prefix(at + separator.size());
  }
}

}  // namespace

std::optional<ApplicationRule> parseRule(std::string_view text, std::string& error) {
  const std::size_t arrow = text.find("=>");
  if (arrow == std::string_view::npos) {
    error = "rule " + text::quoted(text) + " has no \"=>\" (write \"value => token, token\")";
    return std::nullopt;
  }
  ApplicationRule rule;
  rule.value = std::string(text::trimSpace(text.substr(0, arrow)));
  if (rule.value.empty()) {
    error = "rule " + text::quoted(text) + " has no value before \"=>\" (use \"*\" for any value)";
    return std::nullopt;
  }
  split(text.substr(arrow + 2), ",", rule.tokens);
  return rule;
}

Status RowMapper::bind(const std::vector<std::string>& columns) {
  columns_ = columns;
  attributes_.clear();
  const auto require = [&](const std::string& name, const std::string& where, std::size_t& at,
                           bool optional = false) {
    at = kNone;
    if (name.empty()) {
      return Status::ok();
    }
    at = find(name);
    if (at == kNone && !optional) {
      return Status::invalidConfig(where + ": column " + text::quoted(name) +
                                   " is not among the query's columns (" + columnList() + ")");
    }
    return Status::ok();
  };
  if (Status s = require(config_.msisdn_column, config_.where_msisdn, msisdn_); !s) {
    return s;
  }
  // Named roles must exist: a typo would otherwise silently empty every contact's name.
  if (Status s = require(config_.name_column, config_.where_name, name_, config_.optional_name); !s) {
    return s;
  }
  if (Status s = require(config_.reference_column, config_.where_reference, reference_,
                          config_.optional_reference); !s) {
    return s;
  }
  if (Status s = require(config_.applications_column, config_.where_applications, applications_,
                         config_.optional_applications);
      !s) {
    return s;
  }
  if (Status s = require(config_.rule_column, config_.where_rule, rule_); !s) {
    return s;
  }
  if (config_.attributes_set) {
    for (const std::string& name : config_.attributes) {
      std::size_t at = kNone;
      if (Status s = require(name, config_.where_attributes, at); !s) {
        return s;
      }
      attributes_.push_back(at);
    }
  } else {
    std::vector<std::size_t> reserved;
    for (const std::string& name : config_.reserved_columns) {
      reserved.push_back(find(name));
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i != msisdn_ && i != name_ && i != reference_ && i != applications_ && i != rule_ &&
          std::find(reserved.begin(), reserved.end(), i) == reserved.end()) {
        attributes_.push_back(i);
      }
    }
  }
  return Status::ok();
}

Status RowMapper::locate(const std::string& name, const std::string& where,
                         std::size_t& at) const {
  at = find(name);
  if (at == kNone) {
    return Status::invalidConfig(where + ": column " + text::quoted(name) +
                                 " is not among the query's columns (" + columnList() + ")");
  }
  return Status::ok();
}

std::size_t RowMapper::find(const std::string& name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) {
      return i;
    }
  }
  std::size_t found = kNone;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (text::equalsIgnoringCase(columns_[i], name)) {
      if (found != kNone) {
        return kNone;  // ambiguous: "Name" and "NAME" both present
      }
      found = i;
    }
  }
  return found;
}

std::string RowMapper::columnList() const {
  std::string out;
  const std::size_t shown = std::min(columns_.size(), kMaxListedColumns);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += text::quoted(columns_[i]);
  }
  if (shown < columns_.size()) {
    out += " and " + std::to_string(columns_.size() - shown) + " more";
  }
  return out;
}

std::string RowMapper::position(const std::vector<Cell>& row, std::uint64_t row_number) const {
  std::string out = "row " + std::to_string(row_number);
  if (reference_ != kNone && !row[reference_].null) {
    const std::string_view ref = text::trimSpace(row[reference_].text);
    if (!ref.empty()) {
      out += " (";
      out += columns_[reference_];
      out += " = ";
      out += text::excerpt(ref);
      out += ')';
    }
  }
  return out;
}

std::optional<std::string> RowMapper::numberCell(const std::vector<Cell>& row) const {
  if (msisdn_ >= row.size() || row[msisdn_].null || text::trimSpace(row[msisdn_].text).empty()) {
    return std::nullopt;
  }
  return row[msisdn_].text;
}

std::string RowMapper::raw(const std::vector<Cell>& row) const {
  std::string out;
  for (std::size_t i = 0; i < row.size() && i < columns_.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += columns_[i];
    out += '=';
    out += row[i].null ? std::string("NULL") : row[i].text;
  }
  return out;
}

RowMapper::Outcome RowMapper::map(const std::vector<Cell>& row, std::uint64_t row_number,
                                  Contact& contact, RejectedRow& rejected) const {
  const auto reject = [&](std::string reason) {
    rejected.position = position(row, row_number);
    rejected.raw = raw(row);
    rejected.reason = std::move(reason);
    return Outcome::Rejected;
  };
  const Cell& number = row[msisdn_];
  if (number.null) {
    return reject("msisdn is NULL (column " + text::quoted(columns_[msisdn_]) + ")");
  }
  const std::string_view msisdn = text::trimSpace(number.text);
  if (msisdn.empty()) {
    return reject("msisdn is empty (column " + text::quoted(columns_[msisdn_]) + ")");
  }

  contact = Contact{};
  if (rule_ != kNone) {
    const Cell& key = row[rule_];
    const std::string_view value = key.null ? std::string_view() : text::trimSpace(key.text);
    const ApplicationRule* match = nullptr;
    for (const ApplicationRule& rule : config_.rules) {
      if ((!key.null && rule.value == value) || rule.value == "*") {
        match = &rule;
        break;
      }
    }
    if (match == nullptr) {
      return reject("no application rule matches " + columns_[rule_] + " = " +
                    (key.null ? std::string("NULL") : text::quoted(value)));
    }
    if (match->tokens.empty()) {
      return Outcome::Skipped;
    }
    contact.applications = match->tokens;
  } else if (applications_ != kNone && !row[applications_].null) {
    split(row[applications_].text, config_.applications_separator, contact.applications);
  }

  contact.msisdn.assign(msisdn);
  if (name_ != kNone && !row[name_].null) {
    contact.name.assign(text::trimSpace(row[name_].text));
  }
  if (reference_ != kNone && !row[reference_].null) {
    contact.reference.assign(text::trimSpace(row[reference_].text));
  }
  contact.attributes.reserve(attributes_.size());
  for (const std::size_t i : attributes_) {
    contact.attributes.emplace_back(columns_[i], row[i].null ? std::string() : row[i].text);
  }
  contact.position = position(row, row_number);
  return Outcome::Contact;
}

}  // namespace mobisync::plugins::odbc
