// SPDX-License-Identifier: Apache-2.0
// The ODBC source's options: its config keys, read and checked once at init().
#include "odbc_options.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "mobisync/text.hpp"
#include "odbc_errors.hpp"

namespace mobisync::plugins::odbc {

namespace {

constexpr std::int64_t kMaxBatchSize = 1'000'000;

// ODBC attribute values holding ';', '{' or '}' must be braced, with '}' doubled. psqlODBC also
// URL-decodes an unbraced value ('+' becomes a space, "%41" an 'A'), so those are braced too.
std::string attributeValue(const std::string& value) {
  if (value.find_first_of(";{}= +%") == std::string::npos) {
    return value;
  }
  std::string out = "{";
  for (const char c : value) {
    out += c;
    if (c == '}') {
      out += '}';
    }
  }
  out += '}';
  return out;
}

/// The connection (dsn or connection_string, username, password), the query and how it is read
/// (batch_size, login_timeout).
Status readConnection(const plugin::ConfigValues& config, Options& o) {
  const std::string dsn = config.string("dsn");
  const std::string connection = config.string("connection_string");
  if (dsn.empty() == connection.empty()) {
    return Status::invalidConfig(
        (dsn.empty() ? config.where("dsn") : config.where("connection_string")) +
        ": set exactly one of dsn (a data source from odbc.ini) and connection_string "
        "(e.g. \"Driver={PostgreSQL Unicode};Server=db;Database=crm\")");
  }
  o.password = config.string("password");
  const std::string username = config.string("username");
  if (!dsn.empty()) {
    o.connection_string = "DSN=" + attributeValue(dsn);
    o.label = "DSN " + dsn;
  } else {
    o.connection_string = connection;
    while (!o.connection_string.empty() && o.connection_string.back() == ';') {
      o.connection_string.pop_back();
    }
    o.label = withoutPassword(o.connection_string);
  }
  const std::string lowered = text::lowerAscii(o.connection_string);
  if (!username.empty()) {
    o.connection_string += ";UID=" + attributeValue(username);
  }
  if (!o.password.empty()) {
    if (lowered.find("pwd=") != std::string::npos ||
        lowered.find("password=") != std::string::npos) {
      return Status::invalidConfig(config.where("connection_string") +
                                   ": holds a password; set password_env or password_file "
                                   "instead so it stays out of the config");
    }
    o.connection_string += ";PWD=" + attributeValue(o.password);
  }

  o.query = config.string("query");
  if (o.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::invalidConfig(config.where("query") +
                                 ": is required (the SELECT that returns the contacts)");
  }

  const std::int64_t batch = config.integer("batch_size", std::stoll(kDefaultBatchSize));
  if (batch < 1 || batch > kMaxBatchSize) {
    return Status::invalidConfig(config.where("batch_size") + ": must be 1 to " +
                                 std::to_string(kMaxBatchSize) + ", got " +
                                 std::to_string(batch));
  }
  o.batch_size = static_cast<std::size_t>(batch);
  // psqlODBC reads the whole result into memory unless told to use a cursor; the batch size is
  // what keeps memory bounded, so ask for it when the connection string names that driver.
  if (dsn.empty() && lowered.find("postgresql") != std::string::npos &&
      lowered.find("usedeclarefetch") == std::string::npos) {
    o.connection_string += ";UseDeclareFetch=1;Fetch=" + std::to_string(o.batch_size);
  }

  const std::int64_t timeout = config.integer("login_timeout", std::stoll(kDefaultLoginTimeout));
  if (timeout < 1 || timeout > 3600) {
    return Status::invalidConfig(config.where("login_timeout") + ": must be 1 to 3600 seconds");
  }
  o.login_timeout = static_cast<std::size_t>(timeout);
  return Status::ok();
}

/// rule_column and application_rules: rules decide the tokens instead of a column.
Status readRules(const plugin::ConfigValues& config, MappingConfig& mapping) {
  mapping.rule_column = config.string("rule_column");
  const std::vector<std::string> rules = config.list("application_rules");
  if (mapping.rule_column.empty() != rules.empty()) {
    return Status::invalidConfig(
        (rules.empty() ? config.where("rule_column") : config.where("application_rules")) +
        ": rule_column and application_rules go together (rules map the column's values to "
        "application tokens)");
  }
  std::set<std::string> seen_values;
  for (const std::string& text : rules) {
    std::string error;
    std::optional<ApplicationRule> rule = parseRule(text, error);
    if (!rule) {
      return Status::invalidConfig(config.where("application_rules") + ": " + error);
    }
    if (!seen_values.insert(rule->value).second) {
      return Status::invalidConfig(config.where("application_rules") + ": value " +
                                   text::quoted(rule->value) + " has two rules");
    }
    mapping.rules.push_back(std::move(*rule));
  }
  if (!mapping.rule_column.empty()) {
    // Rules decide the tokens; a default applications column must not compete with them.
    if (!mapping.optional_applications) {
      return Status::invalidConfig(config.where("applications_column") +
                                   ": cannot be used with rule_column; choose one");
    }
    mapping.applications_column.clear();
  }
  return Status::ok();
}

/// Which column plays which role in a contact.
Status readMapping(const plugin::ConfigValues& config, MappingConfig& mapping) {
  mapping.msisdn_column = config.string("msisdn_column", kDefaultMsisdnColumn);
  if (mapping.msisdn_column.empty()) {
    return Status::invalidConfig(config.where("msisdn_column") +
                                 ": must name the column that holds phone numbers");
  }
  mapping.name_column = config.string("name_column", kDefaultNameColumn);
  mapping.reference_column = config.string("reference_column", kDefaultReferenceColumn);
  mapping.applications_column = config.string("applications_column", kDefaultApplicationsColumn);
  mapping.optional_name = mapping.name_column == kDefaultNameColumn;
  mapping.optional_reference = mapping.reference_column == kDefaultReferenceColumn;
  mapping.optional_applications = mapping.applications_column == kDefaultApplicationsColumn;
  mapping.applications_separator =
      config.string("applications_separator", kDefaultApplicationsSeparator);
  if (mapping.applications_separator.empty()) {
    return Status::invalidConfig(config.where("applications_separator") + ": must not be empty");
  }
  if (Status s = readRules(config, mapping); !s) {
    return s;
  }

  mapping.attributes_set = config.has("attributes");
  mapping.attributes = config.list("attributes");
  std::set<std::string> seen;
  for (const std::string& name : mapping.attributes) {
    if (name.empty() || !seen.insert(name).second) {
      return Status::invalidConfig(config.where("attributes") +
                                   ": holds an empty or repeated column name");
    }
  }
  mapping.where_msisdn = config.where("msisdn_column");
  mapping.where_name = config.where("name_column");
  mapping.where_reference = config.where("reference_column");
  mapping.where_applications = config.where("applications_column");
  mapping.where_rule = config.where("rule_column");
  mapping.where_attributes = config.where("attributes");
  return Status::ok();
}

/// An incremental query takes the stored cursor as its one `?`.
Status oneParameter(const plugin::ConfigValues& config, const std::string& sql, const char* key) {
  const std::size_t n = countPlaceholders(sql);
  if (n == 1) {
    return Status::ok();
  }
  return Status::invalidConfig(
      config.where(key) + ": an incremental query takes the stored cursor as its one ? "
      "parameter (e.g. \"... WHERE updated_at >= ?\"; >= so rows tied with the cursor are "
      "never lost), found " + std::to_string(n));
}

/// mode and the keys that only apply with mode = "incremental".
Status readIncremental(const plugin::ConfigValues& config, Options& o) {
  IncrementalConfig& incremental = o.incremental;
  const std::string mode = config.string("mode", kDefaultMode);
  if (mode != "snapshot" && mode != "incremental") {
    return Status::invalidConfig(config.where("mode") + ": must be \"snapshot\" or "
                                 "\"incremental\", got " + text::quoted(mode));
  }
  incremental.enabled = mode == "incremental";
  incremental.cursor_column = config.string("cursor_column");
  incremental.tombstone_column = config.string("tombstone_column");
  incremental.deletions_query = config.string("deletions_query");
  incremental.where_cursor_column = config.where("cursor_column");
  incremental.where_cursor_type = config.where("cursor_type");
  incremental.where_tombstone_column = config.where("tombstone_column");
  incremental.where_deletions_query = config.where("deletions_query");
  if (!incremental.enabled) {
    for (const char* key :
         {"cursor_column", "cursor_type", "tombstone_column", "deletions_query"}) {
      if (config.has(key)) {
        return Status::invalidConfig(config.where(key) + ": only applies with mode = "
                                     "\"incremental\" (" + config.where("mode") + " is " +
                                     text::quoted(mode) + ")");
      }
    }
    return Status::ok();
  }
  if (incremental.cursor_column.empty()) {
    return Status::invalidConfig(config.where("mode") + ": \"incremental\" needs cursor_column "
                                 "(the column that grows with every change, e.g. updated_at)");
  }
  const std::string type = config.string("cursor_type");
  const std::optional<CursorType> parsed = parseCursorType(type);
  if (!parsed) {
    return Status::invalidConfig(config.where("cursor_type") +
                                 ": must be \"integer\", \"timestamp\" or \"text\"" +
                                 (type.empty() ? std::string(" (it is required with mode = "
                                                             "\"incremental\")")
                                               : ", got " + text::quoted(type)));
  }
  incremental.cursor_type = *parsed;
  if (Status s = oneParameter(config, o.query, "query"); !s) {
    return s;
  }
  if (!incremental.deletions_query.empty()) {
    if (Status s = oneParameter(config, incremental.deletions_query, "deletions_query"); !s) {
      return s;
    }
  }
  o.mapping.reserved_columns = {incremental.cursor_column};
  if (!incremental.tombstone_column.empty()) {
    o.mapping.reserved_columns.push_back(incremental.tombstone_column);
  }
  return Status::ok();
}

}  // namespace

Result<Options> readOptions(const plugin::ConfigValues& config) {
  Options o;
  if (Status s = readConnection(config, o); !s) {
    return s;
  }
  if (Status s = readMapping(config, o.mapping); !s) {
    return s;
  }
  if (Status s = readIncremental(config, o); !s) {
    return s;
  }
  return o;
}

}  // namespace mobisync::plugins::odbc
