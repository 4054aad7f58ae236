// SPDX-License-Identifier: Apache-2.0
// The CSV source's options: its config keys, read and checked once at init().
#include "csv_options.hpp"

#include <filesystem>
#include <optional>
#include <set>

#include "mobisync/text.hpp"

namespace mobisync::plugins::csv {

namespace {

// One byte that cannot be confused with a line ending or a UTF-8 sequence.
bool usableDialectChar(const std::string& s) {
  return s.size() == 1 && static_cast<unsigned char>(s[0]) < 0x80U && s[0] != '\n' &&
         s[0] != '\r' && s[0] != '\0';
}

Status readDialect(const plugin::ConfigValues& config, Dialect& dialect) {
  const std::string delimiter = config.string("delimiter", kDefaultDelimiter);
  if (!usableDialectChar(delimiter)) {
    return Status::invalidConfig(
        config.where("delimiter") +
        ": must be a single ASCII character other than a line break, got " +
        text::quoted(delimiter));
  }
  dialect.delimiter = delimiter[0];

  const std::string quote = config.string("quote", kDefaultQuote);
  if (quote.empty()) {
    dialect.has_quote = false;
  } else if (!usableDialectChar(quote)) {
    return Status::invalidConfig(
        config.where("quote") +
        ": must be a single ASCII character other than a line break, or empty for no quoting, "
        "got " + text::quoted(quote));
  } else if (quote[0] == dialect.delimiter) {
    return Status::invalidConfig(config.where("quote") + ": must differ from delimiter, both are " +
                                 text::quoted(quote));
  } else {
    dialect.has_quote = true;
    dialect.quote = quote[0];
  }
  return Status::ok();
}

}  // namespace

Result<Options> readOptions(const plugin::ConfigValues& config) {
  Options o;
  o.path = config.string("path");
  if (o.path.empty()) {
    return Status::invalidConfig(config.where("path") + ": is required (the CSV file to read)");
  }
  o.file_name = std::filesystem::path(o.path).filename().string();
  if (o.file_name.empty()) {
    o.file_name = o.path;
  }

  if (Status status = readDialect(config, o.dialect); !status) {
    return status;
  }

  const std::string encoding = config.string("encoding", kDefaultEncoding);
  const std::optional<Encoding> parsed = parseEncoding(encoding);
  if (!parsed) {
    return Status::invalidConfig(config.where("encoding") +
                                 ": must be \"utf-8\", \"windows-1252\", \"iso-8859-1\" or "
                                 "\"utf-16\", got " + text::quoted(encoding));
  }
  o.encoding = *parsed;

  o.msisdn_column = config.string("msisdn_column", kDefaultMsisdnColumn);
  if (o.msisdn_column.empty()) {
    return Status::invalidConfig(config.where("msisdn_column") +
                                 ": must name the column that holds phone numbers");
  }
  // An empty name means "this file has no such column".
  o.name_column = config.string("name_column", kDefaultNameColumn);
  o.reference_column = config.string("reference_column", kDefaultReferenceColumn);
  o.applications_column = config.string("applications_column", kDefaultApplicationsColumn);
  o.applications_separator = config.string("applications_separator", kDefaultApplicationsSeparator);
  if (o.applications_separator.empty()) {
    return Status::invalidConfig(config.where("applications_separator") + ": must not be empty");
  }

  o.attributes = config.list("attributes");
  std::set<std::string> seen;
  for (const std::string& name : o.attributes) {
    if (name.empty()) {
      return Status::invalidConfig(config.where("attributes") + ": holds an empty column name");
    }
    if (!seen.insert(name).second) {
      return Status::invalidConfig(config.where("attributes") + ": lists column " +
                                   text::quoted(name) + " twice");
    }
  }

  o.msisdn_where = config.where("msisdn_column");
  o.attributes_where = config.where("attributes");
  return o;
}

}  // namespace mobisync::plugins::csv
