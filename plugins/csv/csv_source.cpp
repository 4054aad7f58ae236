// SPDX-License-Identifier: Apache-2.0
// CsvSource: the CSV source plugin's logic (config, header mapping, rows to Contacts).
#include "csv_source.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "mobisync/text.hpp"
#include "row_rejects.hpp"
#include "snapshot_file.hpp"
#include "utf8.hpp"

namespace mobisync::plugins::csv {

namespace {

constexpr std::size_t kNone = std::string::npos;
// Enough names to recognise a header in an error message, few enough that a header of
// thousands of columns, or one huge cell, keeps the message to a few lines.
constexpr std::size_t kListedNameBytes = 40;
constexpr std::size_t kHeaderListBytes = text::kExcerptBytes;

std::string_view trim(std::string_view s) { return text::trimBlanks(s); }

// A value from the file or the config as an error quotes it: cut to an excerpt.
std::string inQuotes(std::string_view s, std::size_t max_bytes = text::kExcerptBytes) {
  std::string out = text::excerpt(s, max_bytes);
  out.insert(out.begin(), '"');
  out += '"';
  return out;
}

// One byte that cannot be confused with a line ending or a UTF-8 sequence.
bool usableDialectChar(const std::string& s) {
  return s.size() == 1 && static_cast<unsigned char>(s[0]) < 0x80U && s[0] != '\n' &&
         s[0] != '\r' && s[0] != '\0';
}

// Spreadsheets pad exports with rows of bare delimiters; like blank lines they hold nothing.
bool allEmpty(std::span<const std::string_view> fields) {
  return std::all_of(fields.begin(), fields.end(), [](std::string_view f) { return f.empty(); });
}

std::string columnLabel(const std::vector<std::string>& header, std::size_t index) {
  if (index < header.size() && !header[index].empty()) {
    return inQuotes(header[index], kListedNameBytes);
  }
  return std::to_string(index + 1);
}

}  // namespace

Status CsvSource::init(const plugin::Context& context) {
  initialised_ = false;
  try {
    logger_ = &context.logger;
    Status status = initConfig(context.config);
    initialised_ = status.isOk();
    return status;
  } catch (const std::exception& e) {
    return Status::internal(std::string("csv: init failed: ") + e.what());
  } catch (...) {
    return Status::internal("csv: init failed: unknown exception");
  }
}

Status CsvSource::initConfig(const plugin::ConfigValues& config) {
  path_ = config.string("path");
  if (path_.empty()) {
    return Status::invalidConfig(config.where("path") + ": is required (the CSV file to read)");
  }
  file_name_ = std::filesystem::path(path_).filename().string();
  if (file_name_.empty()) {
    file_name_ = path_;
  }

  const std::string delimiter = config.string("delimiter", kDefaultDelimiter);
  if (!usableDialectChar(delimiter)) {
    return Status::invalidConfig(
        config.where("delimiter") +
        ": must be a single ASCII character other than a line break, got " + inQuotes(delimiter));
  }
  dialect_.delimiter = delimiter[0];

  const std::string quote = config.string("quote", kDefaultQuote);
  if (quote.empty()) {
    dialect_.has_quote = false;
  } else if (!usableDialectChar(quote)) {
    return Status::invalidConfig(
        config.where("quote") +
        ": must be a single ASCII character other than a line break, or empty for no quoting, "
        "got " + inQuotes(quote));
  } else if (quote[0] == dialect_.delimiter) {
    return Status::invalidConfig(config.where("quote") + ": must differ from delimiter, both are " +
                                 inQuotes(quote));
  } else {
    dialect_.has_quote = true;
    dialect_.quote = quote[0];
  }

  const std::string encoding = config.string("encoding", kDefaultEncoding);
  const std::optional<Encoding> parsed = parseEncoding(encoding);
  if (!parsed) {
    return Status::invalidConfig(config.where("encoding") +
                                 ": must be \"utf-8\", \"windows-1252\", \"iso-8859-1\" or "
                                 "\"utf-16\", got " + inQuotes(encoding));
  }
  encoding_ = *parsed;

  msisdn_column_ = config.string("msisdn_column", kDefaultMsisdnColumn);
  if (msisdn_column_.empty()) {
    return Status::invalidConfig(config.where("msisdn_column") +
                                 ": must name the column that holds phone numbers");
  }
  // An empty name means "this file has no such column".
  name_column_ = config.string("name_column", kDefaultNameColumn);
  reference_column_ = config.string("reference_column", kDefaultReferenceColumn);
  applications_column_ = config.string("applications_column", kDefaultApplicationsColumn);
  applications_separator_ =
      config.string("applications_separator", kDefaultApplicationsSeparator);
  if (applications_separator_.empty()) {
    return Status::invalidConfig(config.where("applications_separator") + ": must not be empty");
  }

  attributes_ = config.list("attributes");
  std::set<std::string> seen;
  for (const std::string& name : attributes_) {
    if (name.empty()) {
      return Status::invalidConfig(config.where("attributes") +
                                   ": holds an empty column name");
    }
    if (!seen.insert(name).second) {
      return Status::invalidConfig(config.where("attributes") + ": lists column " +
                                   inQuotes(name) + " twice");
    }
  }

  msisdn_where_ = config.where("msisdn_column");
  attributes_where_ = config.where("attributes");
  return Status::ok();
}

void CsvSource::shutdown() noexcept {
  initialised_ = false;
  logger_ = nullptr;
}

Status CsvSource::fetch(plugin::ContactSink& sink) {
  if (!initialised_) {
    return Status::internal("csv: fetch() called without a successful init()");
  }
  try {
    return fetchFile(sink);
  } catch (const std::exception& e) {
    return Status::internal("csv: reading " + path_ + " failed: " + e.what());
  } catch (...) {
    return Status::internal("csv: reading " + path_ + " failed: unknown exception");
  }
}

Status CsvSource::fetchFile(plugin::ContactSink& sink) {
  SnapshotFile file;
  if (Status status = file.open(path_); !status) {
    return status;
  }
  FdBytes bytes(file.fd());
  std::optional<Utf8Decoder> decoder;
  ByteSource* source = &bytes;
  if (encoding_ != Encoding::Utf8) {
    source = &decoder.emplace(encoding_, bytes);
  }
  RecordReader reader(dialect_, limits_);
  reader.open(*source);

  bool sink_stopped = false;
  Status status = readRows(reader, sink, sink_stopped);
  if (sink_stopped) {
    return status;
  }
  // A failed read may be the symptom of a change (a cut line, an open quote): then the change
  // is what to report. The byte count is only meaningful after a read to the end.
  const std::string change = file.change(status ? std::optional(bytes.count()) : std::nullopt);
  if (!change.empty()) {
    return Status::io("csv: " + path_ + " changed while it was read (" + change +
                      "), so the read is not one consistent snapshot and nothing is removed; "
                      "run again once the file is written");
  }
  return status;
}

Status CsvSource::readRows(RecordReader& reader, plugin::ContactSink& sink, bool& sink_stopped) {
  const auto too_long = [&](std::uint64_t line) {
    return Status::io("csv: " + path_ + ": the record starting at line " + std::to_string(line) +
                      " is longer than " + std::to_string(limits_.max_record_bytes) +
                      " bytes; is a quote left open?");
  };
  const auto read_error = [&] {
    return Status::io("csv: cannot read " + path_ + ": " + reader.error());
  };
  const auto unterminated = [&](std::uint64_t line) {
    return Status::io("csv: " + path_ + ": unterminated quoted field starting at line " +
                      std::to_string(line) + "; the file may be truncated");
  };
  // A complete file ends its last record with a line break; one that stops mid-line was cut,
  // most often because it is still being written.
  const auto cut_short = [&](std::uint64_t line) {
    return Status::io("csv: " + path_ + ": the last record (line " + std::to_string(line) +
                      ") ends without a line break, so the read is incomplete: the file may "
                      "still be being written; run again once it is complete (a complete file "
                      "ends its last row with a line break: add one if a tool left it out)");
  };

  Columns columns;
  switch (reader.next()) {
    case RecordReader::Next::Record:
      break;
    case RecordReader::Next::End:
      // Never an empty snapshot: that would read as "every contact left".
      return Status::io("csv: " + path_ + " is empty: no header row");
    case RecordReader::Next::Unterminated:
      return unterminated(reader.record().line);
    case RecordReader::Next::TooLong:
      return too_long(reader.record().line);
    case RecordReader::Next::IoError:
      return read_error();
  }
  if (!reader.record().ended) {
    return cut_short(reader.record().line);
  }
  if (Status status = mapHeader(reader.record(), columns); !status) {
    return status;
  }

  const std::size_t width = columns.header.size();
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  const auto reject = [&](const Record& record, std::string reason,
                          std::vector<std::string> number_cells = {}) {
    ++rejected;
    RejectedRow row{position(record.line), std::string(record.raw), std::move(reason)};
    if (number_cells.empty()) {
      sink.reject(std::move(row));
    } else {
      sink.rejectWithNumber(std::move(row), std::move(number_cells));
    }
  };

  for (;;) {
    const RecordReader::Next next = reader.next();
    if (next == RecordReader::Next::End) {
      break;
    }
    if (next == RecordReader::Next::Unterminated) {
      // Both: the reject file shows the text, and the failed Status keeps the engine from
      // treating a cut-off file as a complete snapshot.
      reject(reader.record(), "unterminated quoted field");
      return unterminated(reader.record().line);
    }
    if (next == RecordReader::Next::TooLong) {
      return too_long(reader.record().line);
    }
    if (next == RecordReader::Next::IoError) {
      return read_error();
    }

    const Record& record = reader.record();
    if (!record.ended) {
      return cut_short(record.line);
    }
    if (record.fields.size() != width) {
      if (allEmpty(record.fields)) {
        continue;
      }
      // A stray or missing delimiter shifts the cells; the engine keeps every number the
      // msisdn cell may have moved to.
      reject(record,
             "expected " + std::to_string(width) + " fields, found " +
                 std::to_string(record.fields.size()),
             shiftedNumberCells(record.fields, width, columns.msisdn));
      continue;
    }
    if (!isValidUtf8(record.raw)) {
      std::vector<std::string> number_cells;
      const std::string_view number = trim(record.fields[columns.msisdn]);
      if (!number.empty() && isValidUtf8(number)) {
        number_cells.emplace_back(number);
      }
      reject(record, unreadableRow(record, columns), std::move(number_cells));
      continue;
    }
    const std::string_view msisdn = trim(record.fields[columns.msisdn]);
    if (msisdn.empty()) {
      if (allEmpty(record.fields)) {
        continue;
      }
      reject(record, "msisdn is empty (column " + inQuotes(msisdn_column_) + ")");
      continue;
    }

    Contact contact;
    contact.msisdn.assign(msisdn);
    if (columns.name != kNone) {
      contact.name.assign(trim(record.fields[columns.name]));
    }
    if (columns.reference != kNone) {
      contact.reference.assign(trim(record.fields[columns.reference]));
    }
    if (columns.applications != kNone) {
      splitApplications(record.fields[columns.applications], contact.applications);
    }
    if (!columns.attributes.empty()) {
      contact.attributes.reserve(columns.attributes.size());
      for (const std::size_t i : columns.attributes) {
        contact.attributes.emplace_back(columns.header[i], record.fields[i]);
      }
    }
    contact.position = position(record.line);

    if (Status status = sink.accept(std::move(contact)); !status) {
      sink_stopped = true;
      return status;
    }
    ++accepted;
  }

  if (logger_ != nullptr) {
    poco_debug(*logger_, "csv: read " + file_name_ + ": " + std::to_string(accepted) +
                             " contacts, " + std::to_string(rejected) + " rejected rows");
  }
  return Status::ok();
}

// The reason for a row with text that is not valid in the file's encoding, naming the first
// bad byte's line, column and field.
std::string CsvSource::unreadableRow(const Record& record, const Columns& columns) const {
  const std::size_t offset = invalidUtf8At(record.raw);
  std::size_t field = 0;
  while (field + 1 < record.fields.size() && isValidUtf8(record.fields[field])) {
    ++field;
  }
  return unreadableText(encoding_, locate(record.raw, record.line, offset),
                        static_cast<unsigned char>(record.raw[offset]),
                        columnLabel(columns.header, field));
}

Status CsvSource::unreadableHeader(const Record& header, std::size_t field) const {
  const std::string_view raw = header.raw;
  if (encoding_ == Encoding::Utf8 && header.line == 1 &&
      (raw.starts_with("\xFF\xFE") || raw.starts_with("\xFE\xFF"))) {
    return Status::io("csv: " + path_ +
                      " starts with a UTF-16 byte order mark, so it is UTF-16 text (as "
                      "spreadsheets save \"Unicode text\"): set encoding = \"utf-16\"");
  }
  std::size_t offset = invalidUtf8At(raw);
  if (offset == std::string_view::npos) {
    offset = 0;  // cannot happen: a cell's bad bytes are the record's
  }
  return Status::io("csv: " + path_ + ": the header row has " +
                    unreadableText(encoding_, locate(raw, header.line, offset),
                                   static_cast<unsigned char>(raw[offset]),
                                   std::to_string(field + 1)));
}

Status CsvSource::mapHeader(const Record& header, Columns& columns) const {
  columns.header.reserve(header.fields.size());
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (!isValidUtf8(header.fields[i])) {
      return unreadableHeader(header, i);
    }
    // Spaces around names ("msisdn, name") are layout, not part of the name.
    columns.header.emplace_back(trim(header.fields[i]));
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
      return Status::invalidConfig("csv: " + path_ + ": the header names column " +
                                   inQuotes(name) + " twice (columns " +
                                   std::to_string(it->second + 1) + " and " +
                                   std::to_string(i + 1) + "), so its cells are ambiguous");
    }
  }
  const auto find = [&](const std::string& name) {
    if (name.empty()) {
      return kNone;
    }
    const auto it = index.find(name);
    return it == index.end() ? kNone : it->second;
  };

  columns.msisdn = find(msisdn_column_);
  if (columns.msisdn == kNone) {
    return Status::invalidConfig(msisdn_where_ + ": column " + inQuotes(msisdn_column_) +
                                 " is not in the header of " + path_ + " (its columns: " +
                                 headerList(columns.header) + ")");
  }
  columns.name = find(name_column_);
  columns.reference = find(reference_column_);
  columns.applications = find(applications_column_);

  if (logger_ != nullptr) {
    const std::pair<const std::string*, std::size_t> optional[] = {
        {&name_column_, columns.name},
        {&reference_column_, columns.reference},
        {&applications_column_, columns.applications}};
    for (const auto& [name, at] : optional) {
      if (!name->empty() && at == kNone) {
        poco_information(*logger_, "csv: " + file_name_ + " has no column " + inQuotes(*name) +
                                       "; its contacts get none");
      }
    }
  }

  if (attributes_.empty()) {
    for (std::size_t i = 0; i < columns.header.size(); ++i) {
      if (i != columns.msisdn && i != columns.name && i != columns.reference &&
          i != columns.applications && !columns.header[i].empty()) {
        columns.attributes.push_back(i);
      }
    }
  } else {
    for (const std::string& name : attributes_) {
      const std::size_t at = find(name);
      if (at == kNone) {
        return Status::invalidConfig(attributes_where_ + ": column " + inQuotes(name) +
                                     " is not in the header of " + path_ + " (its columns: " +
                                     headerList(columns.header) + ")");
      }
      columns.attributes.push_back(at);
    }
  }
  return Status::ok();
}

std::string CsvSource::headerList(const std::vector<std::string>& header) const {
  std::string out;
  std::size_t shown = 0;
  while (shown < header.size() && out.size() < kHeaderListBytes) {
    if (shown > 0) {
      out += ", ";
    }
    out += inQuotes(header[shown], kListedNameBytes);
    ++shown;
  }
  if (shown < header.size()) {
    out += " and " + std::to_string(header.size() - shown) + " more";
  }
  return out;
}

std::string CsvSource::position(std::uint64_t line) const {
  char digits[24];
  const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), line);
  (void)ec;  // 24 digits hold any uint64_t
  std::string out;
  out.reserve(file_name_.size() + 1 + static_cast<std::size_t>(end - digits));
  out += file_name_;
  out += ':';
  out.append(digits, end);
  return out;
}

void CsvSource::splitApplications(std::string_view cell, std::vector<std::string>& out) const {
  std::size_t separators = 0;
  for (std::size_t at = cell.find(applications_separator_); at != std::string_view::npos;
       at = cell.find(applications_separator_, at + applications_separator_.size())) {
    ++separators;
  }
  out.reserve(separators + 1);
  for (;;) {
    const std::size_t at = cell.find(applications_separator_);
    const std::string_view token = trim(cell.substr(0, at));
    // Repeats add nothing: a contact belongs to an application once.
    if (!token.empty() && std::find(out.begin(), out.end(), token) == out.end()) {
      out.emplace_back(token);
    }
    if (at == std::string_view::npos) {
      break;
    }
    cell.remove_prefix(at + applications_separator_.size());
  }
}

}  // namespace mobisync::plugins::csv
