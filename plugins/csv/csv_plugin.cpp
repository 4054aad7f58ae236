// SPDX-License-Identifier: Apache-2.0
// The CSV source plugin's registration: config schema, descriptor and entry symbol only.
#include <iterator>

#include "csv_source.hpp"
#include "mobisync/plugin/entry.hpp"

namespace mobisync::plugins::csv {

namespace {

using plugin::ConfigKey;
using plugin::KeyType;

constexpr ConfigKey kConfigSchema[] = {
    {"path", KeyType::Path, true, nullptr,
     "The CSV file to read, with a header row naming the columns; a regular file, read whole "
     "as one snapshot."},
    {"encoding", KeyType::String, false, kDefaultEncoding,
     "The file's text encoding: \"utf-8\", \"windows-1252\", \"iso-8859-1\" or \"utf-16\" "
     "(byte order from its byte order mark)."},
    {"delimiter", KeyType::String, false, kDefaultDelimiter,
     "The field separator: one ASCII character, e.g. \",\", \";\" or a tab."},
    {"quote", KeyType::String, false, kDefaultQuote,
     "The quote character (doubled inside a quoted field); empty turns quoting off."},
    {"msisdn_column", KeyType::String, false, kDefaultMsisdnColumn,
     "The column holding the phone number, in any national or international spelling."},
    {"name_column", KeyType::String, false, kDefaultNameColumn,
     "The column holding the contact's name; empty or absent from the header means none."},
    {"reference_column", KeyType::String, false, kDefaultReferenceColumn,
     "The column holding your own id for the contact; empty or absent means none."},
    {"applications_column", KeyType::String, false, kDefaultApplicationsColumn,
     "The column listing application tokens; when the header lacks it, the job's list applies."},
    {"applications_separator", KeyType::String, false, kDefaultApplicationsSeparator,
     "What separates tokens in the applications column; tokens are trimmed, empty ones dropped."},
    {"attributes", KeyType::StringList, false, nullptr,
     "Columns to keep as template attributes; unset keeps every column without a role above."},
};

constexpr plugin::Descriptor kDescriptor = plugin::makeDescriptor<CsvSource>(
    "csv", "0.1.0", plugin::Kind::Source, "Contacts from a CSV file (RFC 4180; UTF-8, windows-1252, iso-8859-1 or UTF-16)",
    kConfigSchema, std::size(kConfigSchema));

}  // namespace

const plugin::Descriptor* csvDescriptor() { return &kDescriptor; }

MOBISYNC_PLUGIN_ENTRY(csvDescriptor)

}  // namespace mobisync::plugins::csv
