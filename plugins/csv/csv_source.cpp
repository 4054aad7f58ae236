// SPDX-License-Identifier: Apache-2.0
// CsvSource: the CSV source plugin's logic (one read of the file, rows to Contacts).
#include "csv_source.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <span>
#include <utility>

#include "mobisync/plugin/guarded.hpp"
#include "mobisync/text.hpp"
#include "row_rejects.hpp"
#include "snapshot_file.hpp"
#include "utf8.hpp"

namespace mobisync::plugins::csv {

namespace {

// Spreadsheets pad exports with rows of bare delimiters; like blank lines they hold nothing.
bool allEmpty(std::span<const std::string_view> fields) {
  return std::all_of(fields.begin(), fields.end(), [](std::string_view f) { return f.empty(); });
}

}  // namespace

Status CsvSource::init(const plugin::Context& context) {
  logger_ = &context.logger;
  initialised_ = false;
  Status status = plugin::guarded(
      "csv: init failed", [&] { return plugin::assignTo(options_, readOptions(context.config)); });
  initialised_ = status.isOk();
  return status;
}

void CsvSource::shutdown() noexcept {
  initialised_ = false;
  logger_ = nullptr;
}

Status CsvSource::fetch(plugin::ContactSink& sink) {
  if (!initialised_) {
    return Status::internal("csv: fetch() called without a successful init()");
  }
  return plugin::guarded("csv: reading " + options_.path + " failed",
                         [&] { return fetchFile(sink); });
}

Status CsvSource::fetchFile(plugin::ContactSink& sink) {
  SnapshotFile file;
  if (Status status = file.open(options_.path); !status) {
    return status;
  }
  FdBytes bytes(file.fd());
  std::optional<Utf8Decoder> decoder;
  ByteSource* source = &bytes;
  if (options_.encoding != Encoding::Utf8) {
    source = &decoder.emplace(options_.encoding, bytes);
  }
  RecordReader reader(options_.dialect, limits_);
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
    return Status::io("csv: " + options_.path + " changed while it was read (" + change +
                      "), so the read is not one consistent snapshot and nothing is removed; "
                      "run again once the file is written");
  }
  return status;
}

Status CsvSource::readRows(RecordReader& reader, plugin::ContactSink& sink, bool& sink_stopped) {
  const std::string& path = options_.path;
  const auto too_long = [&](std::uint64_t line) {
    return Status::io("csv: " + path + ": the record starting at line " + std::to_string(line) +
                      " is longer than " + std::to_string(limits_.max_record_bytes) +
                      " bytes; is a quote left open?");
  };
  const auto read_error = [&] {
    return Status::io("csv: cannot read " + path + ": " + reader.error());
  };
  const auto unterminated = [&](std::uint64_t line) {
    return Status::io("csv: " + path + ": unterminated quoted field starting at line " +
                      std::to_string(line) + "; the file may be truncated");
  };
  // A complete file ends its last record with a line break; one that stops mid-line was cut,
  // most often because it is still being written.
  const auto cut_short = [&](std::uint64_t line) {
    return Status::io("csv: " + path + ": the last record (line " + std::to_string(line) +
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
      return Status::io("csv: " + path + " is empty: no header row");
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
  if (Status status = mapHeader(reader.record(), options_, logger_, columns); !status) {
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
      const std::string_view number = text::trimBlanks(record.fields[columns.msisdn]);
      if (!number.empty() && isValidUtf8(number)) {
        number_cells.emplace_back(number);
      }
      reject(record, unreadableRow(record, columns), std::move(number_cells));
      continue;
    }
    const std::string_view msisdn = text::trimBlanks(record.fields[columns.msisdn]);
    if (msisdn.empty()) {
      if (allEmpty(record.fields)) {
        continue;
      }
      reject(record, "msisdn is empty (column " + text::quoted(options_.msisdn_column) + ")");
      continue;
    }

    Contact contact;
    contact.msisdn.assign(msisdn);
    if (columns.name != kNoColumn) {
      contact.name.assign(text::trimBlanks(record.fields[columns.name]));
    }
    if (columns.reference != kNoColumn) {
      contact.reference.assign(text::trimBlanks(record.fields[columns.reference]));
    }
    if (columns.applications != kNoColumn) {
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
    poco_debug(*logger_, "csv: read " + options_.file_name + ": " + std::to_string(accepted) +
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
  return unreadableText(options_.encoding, locate(record.raw, record.line, offset),
                        static_cast<unsigned char>(record.raw[offset]),
                        columnLabel(columns.header, field));
}

std::string CsvSource::position(std::uint64_t line) const {
  char digits[24];
  const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), line);
  (void)ec;  // 24 digits hold any uint64_t
  std::string out;
  out.reserve(options_.file_name.size() + 1 + static_cast<std::size_t>(end - digits));
  out += options_.file_name;
  out += ':';
  out.append(digits, end);
  return out;
}

void CsvSource::splitApplications(std::string_view cell, std::vector<std::string>& out) const {
  const std::string& separator = options_.applications_separator;
  std::size_t separators = 0;
  for (std::size_t at = cell.find(separator); at != std::string_view::npos;
       at = cell.find(separator, at + separator.size())) {
    ++separators;
  }
  out.reserve(separators + 1);
  for (;;) {
    const std::size_t at = cell.find(separator);
    const std::string_view token = text::trimBlanks(cell.substr(0, at));
    // Repeats add nothing: a contact belongs to an application once.
    if (!token.empty() && std::find(out.begin(), out.end(), token) == out.end()) {
      out.emplace_back(token);
    }
    if (at == std::string_view::npos) {
      break;
    }
    cell.remove_prefix(at + separator.size());
  }
}

}  // namespace mobisync::plugins::csv
