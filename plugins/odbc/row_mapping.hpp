// SPDX-License-Identifier: Apache-2.0
// RowMapper: a query's columns and cells to Contacts, by the configured column roles and rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobisync/model/contact.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugins::odbc {

/// One cell as text; the source converts every SQL type before the mapper sees it.
struct Cell {
  bool null = false;
  std::string text;
};

/// `application_rules` entry: rows whose rule column equals `value` (or any value, for "*")
/// get `tokens`; empty `tokens` means the row is skipped.
struct ApplicationRule {
  std::string value;
  std::vector<std::string> tokens;
};

/// Parses "gold => contacts:42, recurring:7"; nullopt with `error` set when malformed.
std::optional<ApplicationRule> parseRule(std::string_view text, std::string& error);

/// The configured roles. Empty optional column names mean "none"; `where_*` name the keys in
/// errors ("mobisync.toml:12:1: msisdn_column").
struct MappingConfig {
  std::string msisdn_column;
  std::string name_column;
  std::string reference_column;
  std::string applications_column;
  std::string applications_separator = ";";
  // A role left at its default ("name") may be absent from the query; one set by hand must exist.
  bool optional_name = false;
  bool optional_reference = false;
  bool optional_applications = false;
  std::string rule_column;
  std::vector<ApplicationRule> rules;
  std::vector<std::string> attributes;  // empty: every column without a role
  bool attributes_set = false;          // attributes = [] keeps none
  // Columns with a role outside the contact (cursor, tombstone): never default attributes.
  std::vector<std::string> reserved_columns;
  std::string where_msisdn = "msisdn_column";
  std::string where_name = "name_column";
  std::string where_reference = "reference_column";
  std::string where_applications = "applications_column";
  std::string where_rule = "rule_column";
  std::string where_attributes = "attributes";
};

/// Maps rows of one result set. bind() once with the result's column names, then map() each row.
/// Thread-compatible.
class RowMapper {
 public:
  explicit RowMapper(MappingConfig config) : config_(std::move(config)) {}

  /// Finds each configured column among `columns` (exactly, else case-insensitively when that is
  /// unambiguous: databases fold unquoted names). A missing column is InvalidConfig naming the
  /// key, the column and the query's columns.
  Status bind(const std::vector<std::string>& columns);

  enum class Outcome { Contact, Rejected, Skipped };

  /// Fills `contact` or `rejected` from `row` (one Cell per bound column). `row_number` counts
  /// from 1 and names the row when it has no reference.
  Outcome map(const std::vector<Cell>& row, std::uint64_t row_number, Contact& contact,
              RejectedRow& rejected) const;

  const std::vector<std::string>& columns() const { return columns_; }

  /// The bound msisdn column's index.
  std::size_t numberColumn() const { return msisdn_; }
  /// The row's msisdn cell as found, or nullopt when it is NULL or blank: what a rejection can
  /// still point at (ContactSink::rejectWithNumber) when the row is wrong elsewhere.
  std::optional<std::string> numberCell(const std::vector<Cell>& row) const;

  /// The bound column `name` (found as bind() finds columns) in `at`; InvalidConfig naming
  /// `where`, the column and the query's columns when it is not there.
  Status locate(const std::string& name, const std::string& where, std::size_t& at) const;

  /// "row 12 (reference = C7)": how rejections name a row.
  std::string position(const std::vector<Cell>& row, std::uint64_t row_number) const;
  /// The row as "column=value, ..." for the reject file.
  std::string raw(const std::vector<Cell>& row) const;

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t find(const std::string& name) const;
  std::string columnList() const;

  MappingConfig config_;
  std::vector<std::string> columns_;
  std::size_t msisdn_ = kNone;
  std::size_t name_ = kNone;
  std::size_t reference_ = kNone;
  std::size_t applications_ = kNone;
  std::size_t rule_ = kNone;
  std::vector<std::size_t> attributes_;
};

}  // namespace mobisync::plugins::odbc
