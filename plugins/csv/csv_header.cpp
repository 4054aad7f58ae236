// SPDX-License-Identifier: Apache-2.0
// The CSV header row: where each configured role sits, and errors that name columns.
#include "csv_header.hpp"

#include <map>
#include <string_view>
#include <utility>

#include "mobisync/text.hpp"
#include "row_rejects.hpp"
#include "utf8.hpp"

namespace mobisync::plugins::csv {

namespace {

// Enough names to recognise a header in an error message, few enough that a header of
// thousands of columns, or one huge cell, keeps the message to a few lines.
constexpr std::size_t kListedNameBytes = 40;
constexpr std::size_t kHeaderListBytes = text::kExcerptBytes;

std::string headerList(const std::vector<std::string>& header) {
  std::string out;
  std::size_t shown = 0;
  while (shown < header.size() && out.size() < kHeaderListBytes) {
    if (shown > 0) {
      out += ", ";
    }
    out += text::quoted(header[shown], kListedNameBytes);
    ++shown;
  }
  if (shown < header.size()) {
    out += " and " + std::to_string(header.size() - shown) + " more";
  }
  return out;
}

Status unreadableHeader(const Record& header, const Options& options, std::size_t field) {
  const std::string_view raw = header.raw;
  if (options.encoding == Encoding::Utf8 && header.line == 1 &&
      (raw.starts_with("\xFF\xFE") || raw.starts_with("\xFE\xFF"))) {
    return Status::io("csv: " + options.path +
                      " starts with a UTF-16 byte order mark, so it is UTF-16 text (as "
                      "spreadsheets save \"Unicode text\"): set encoding = \"utf-16\"");
  }
  std::size_t offset = invalidUtf8At(raw);
  if (offset == std::string_view::npos) {
    offset = 0;  // cannot happen: a cell's bad bytes are the record's
  }
  return Status::io("csv: " + options.path + ": the header row has " +
                    unreadableText(options.encoding, locate(raw, header.line, offset),
                                   static_cast<unsigned char>(raw[offset]),
                                   std::to_string(field + 1)));
}

Status notInHeader(const std::string& where, const std::string& name, const Options& options,
                   const Columns& columns) {
  return Status::invalidConfig(where + ": column " + text::quoted(name) +
                               " is not in the header of " + options.path + " (its columns: " +
                               headerList(columns.header) + ")");
}

}  // namespace

std::string columnLabel(const std::vector<std::string>& header, std::size_t index) {
  if (index < header.size() && !header[index].empty()) {
    return text::quoted(header[index], kListedNameBytes);
  }
  return std::to_string(index + 1);
}

Status mapHeader(const Record& header, const Options& options, Poco::Logger* logger,
                 Columns& columns) {
  columns.header.reserve(header.fields.size());
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (!isValidUtf8(header.fields[i])) {
      return unreadableHeader(header, options, i);
    }
    // Spaces around names ("msisdn, name") are layout, not part of the name.
    columns.header.emplace_back(text::trimBlanks(header.fields[i]));
  }

  // Empty names (trailing delimiters from spreadsheets) may repeat; they carry no role and
  // become no attribute.
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < columns.header.size(); ++i) {
    const std::string& name = columns.header[i];
    if (name.empty()) {
      continue;
    }
    const auto [it, inserted] = index.emplace(name, i);
    if (!inserted) {
      return Status::invalidConfig("csv: " + options.path + ": the header names column " +
                                   text::quoted(name) + " twice (columns " +
                                   std::to_string(it->second + 1) + " and " +
                                   std::to_string(i + 1) + "), so its cells are ambiguous");
    }
  }
  const auto find = [&](const std::string& name) {
    if (name.empty()) {
      return kNoColumn;
    }
    const auto it = index.find(name);
    return it == index.end() ? kNoColumn : it->second;
  };

  columns.msisdn = find(options.msisdn_column);
  if (columns.msisdn == kNoColumn) {
    return notInHeader(options.msisdn_where, options.msisdn_column, options, columns);
  }
  columns.name = find(options.name_column);
  columns.reference = find(options.reference_column);
  columns.applications = find(options.applications_column);

  if (logger != nullptr) {
    const std::pair<const std::string*, std::size_t> optional[] = {
        {&options.name_column, columns.name},
        {&options.reference_column, columns.reference},
        {&options.applications_column, columns.applications}};
    for (const auto& [name, at] : optional) {
      if (!name->empty() && at == kNoColumn) {
        poco_information(*logger, "csv: " + options.file_name + " has no column " +
                                      text::quoted(*name) + "; its contacts get none");
      }
    }
  }

  if (options.attributes.empty()) {
    for (std::size_t i = 0; i < columns.header.size(); ++i) {
      if (i != columns.msisdn && i != columns.name && i != columns.reference &&
          i != columns.applications && !columns.header[i].empty()) {
        columns.attributes.push_back(i);
      }
    }
  } else {
    for (const std::string& name : options.attributes) {
      const std::size_t at = find(name);
      if (at == kNoColumn) {
        return notInHeader(options.attributes_where, name, options, columns);
      }
      columns.attributes.push_back(at);
    }
  }
  return Status::ok();
}

}  // namespace mobisync::plugins::csv
