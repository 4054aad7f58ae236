// SPDX-License-Identifier: Apache-2.0
// The rows of the source's queries into the sink: contacts, rejections and tombstones.
#include "contact_rows.hpp"

#include <utility>
#include <vector>

#include "mobisync/text.hpp"
#include "query_read.hpp"
#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

namespace {

/// Rejects `bad` pointing at the row's number when its cell was read, so the engine keeps that
/// number's subscriptions: a row wrong elsewhere must never unsubscribe its contact.
void rejectRow(plugin::ContactSink& sink, RejectedRow&& bad, const RowMapper& mapper,
               const std::vector<Cell>& row, const RowProblem* problem) {
  std::optional<std::string> number;
  if (problem == nullptr || problem->read(mapper.numberColumn())) {
    number = mapper.numberCell(row);
  }
  if (number) {
    sink.rejectWithNumber(std::move(bad), {std::move(*number)});
  } else {
    sink.reject(std::move(bad));
  }
}

/// True when the number cell of a deleted row is NULL or blank: nothing to remove.
bool noNumber(const Cell& number) {
  return number.null || number.text.find_first_not_of(" \t") == std::string::npos;
}

}  // namespace

Status readContacts(SQLHDBC dbc, const Options& options, const std::optional<std::string>& from,
                    plugin::ContactSink& sink, ContactCounts& counts) {
  const MappingConfig& mapping = options.mapping;
  const IncrementalConfig& incremental = options.incremental;
  const CursorType cursor_type = incremental.cursor_type;
  RowMapper mapper(mapping);
  std::size_t msisdn_at = 0;
  std::size_t cursor_at = 0;
  std::optional<std::size_t> tombstone_at;
  Contact contact;
  RejectedRow bad;

  QueryRead read;
  read.sql = options.query;
  read.name = "the query";
  read.failed_after = "fetching rows failed";
  if (incremental.enabled) {
    read.parameter = CursorParameter{cursor_type, from};
  }
  read.on_columns = [&](const std::vector<std::string>& names) {
    if (Status s = mapper.bind(names); !s) {
      return s;
    }
    if (!incremental.enabled) {
      return Status::ok();
    }
    if (Status s = mapper.locate(mapping.msisdn_column, mapping.where_msisdn, msisdn_at); !s) {
      return s;
    }
    if (Status s =
            mapper.locate(incremental.cursor_column, incremental.where_cursor_column, cursor_at);
        !s) {
      return s;
    }
    if (!incremental.tombstone_column.empty()) {
      std::size_t at = 0;
      if (Status s = mapper.locate(incremental.tombstone_column,
                                   incremental.where_tombstone_column, at);
          !s) {
        return s;
      }
      tombstone_at = at;
    }
    return Status::ok();
  };
  read.on_row = [&](const std::vector<Cell>& row, std::uint64_t row_number,
                    const RowProblem* problem) {
    counts.rows = row_number;
    if (problem != nullptr) {
      rejectRow(sink, RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                                  problem->reason},
                mapper, row, problem);
      ++counts.rejected;
      return Status::ok();
    }
    if (incremental.enabled && !row[cursor_at].null) {
      std::string error;
      std::optional<std::string> value = normaliseCursor(cursor_type, row[cursor_at].text, error);
      if (!value) {
        // A cursor the source cannot order would lose or repeat changes: stop, store nothing.
        return Status::invalidConfig(incremental.where_cursor_type + ": " +
                                     mapper.position(row, row_number) + ": cursor column \"" +
                                     mapper.columns()[cursor_at] + "\": " + error);
      }
      if (!counts.highest || cursorAfter(cursor_type, *value, *counts.highest)) {
        counts.highest = std::move(value);
      }
    }
    if (tombstone_at) {
      const TombstoneFlag flag = tombstoneFlag(row[*tombstone_at]);
      if (flag == TombstoneFlag::Invalid) {
        // Neither live nor deleted for sure: keep the number's subscriptions.
        rejectRow(sink,
                  RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                              "tombstone column \"" + mapper.columns()[*tombstone_at] +
                                  "\" holds \"" + text::excerpt(row[*tombstone_at].text) +
                                  "\" (use true/false, 1/0, yes/no or NULL)"},
                  mapper, row, nullptr);
        ++counts.rejected;
        return Status::ok();
      }
      if (flag == TombstoneFlag::Deleted) {
        // In a full read a deleted row is simply not wanted; the diff removes its pairs.
        if (!from) {
          ++counts.skipped;
          return Status::ok();
        }
        const Cell& number = row[msisdn_at];
        if (noNumber(number)) {
          sink.reject(RejectedRow{mapper.position(row, row_number), mapper.raw(row),
                                  "tombstone without an msisdn"});
          ++counts.rejected;
          return Status::ok();
        }
        if (Status s = sink.tombstone(number.text, mapper.position(row, row_number)); !s) {
          return s;
        }
        ++counts.tombstones;
        return Status::ok();
      }
    }
    switch (mapper.map(row, row_number, contact, bad)) {
      case RowMapper::Outcome::Contact:
        if (Status s = sink.accept(std::move(contact)); !s) {
          return s;
        }
        ++counts.accepted;
        break;
      case RowMapper::Outcome::Rejected:
        // The mapper rejects a row for its number (NULL, blank: reject()) or for another cell
        // (no rule matches: rejectWithNumber()).
        rejectRow(sink, std::move(bad), mapper, row, nullptr);
        ++counts.rejected;
        break;
      case RowMapper::Outcome::Skipped:
        ++counts.skipped;
        break;
    }
    return Status::ok();
  };
  return readQuery(dbc, options, read);
}

Status readDeletions(SQLHDBC dbc, const Options& options, const std::string& from,
                     plugin::ContactSink& sink) {
  MappingConfig config;
  config.msisdn_column = options.mapping.msisdn_column;
  config.reference_column = kDefaultReferenceColumn;
  config.optional_reference = true;
  config.attributes_set = true;
  config.where_msisdn =
      options.incremental.where_deletions_query + ": " + options.mapping.where_msisdn;
  RowMapper mapper(config);
  std::size_t msisdn_at = 0;

  QueryRead read;
  read.sql = options.incremental.deletions_query;
  read.name = "the deletions query";
  read.failed_after = "the deletions query failed";
  read.parameter = CursorParameter{options.incremental.cursor_type, from};
  read.on_columns = [&](const std::vector<std::string>& names) {
    if (Status s = mapper.bind(names); !s) {
      return s;
    }
    return mapper.locate(config.msisdn_column, config.where_msisdn, msisdn_at);
  };
  read.on_row = [&](const std::vector<Cell>& row, std::uint64_t row_number,
                    const RowProblem* problem) {
    std::string position = "deletions_query " + mapper.position(row, row_number);
    if (problem != nullptr) {
      // A deletion that cannot be read must not count as an unreadable contact; its number
      // simply keeps its subscriptions.
      rejectRow(sink, RejectedRow{std::move(position), mapper.raw(row), problem->reason},
                mapper, row, problem);
      return Status::ok();
    }
    const Cell& number = row[msisdn_at];
    if (noNumber(number)) {
      sink.reject(RejectedRow{std::move(position), mapper.raw(row), "tombstone without an msisdn"});
      return Status::ok();
    }
    return sink.tombstone(number.text, std::move(position));
  };
  return readQuery(dbc, options, read);
}

}  // namespace mobisync::plugins::odbc
