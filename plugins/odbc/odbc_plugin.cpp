// SPDX-License-Identifier: Apache-2.0
// The ODBC source plugin's registration: config schema, descriptor and entry symbol only.
#include <iterator>

#include "mobisync/plugin/entry.hpp"
#include "odbc_source.hpp"

namespace mobisync::plugins::odbc {

namespace {

using plugin::ConfigKey;
using plugin::KeyType;

constexpr ConfigKey kConfigSchema[] = {
    {"dsn", KeyType::String, false, nullptr,
     "A data source name from odbc.ini; set this or connection_string."},
    {"connection_string", KeyType::String, false, nullptr,
     "An ODBC connection string, e.g. \"Driver={PostgreSQL Unicode};Server=db;Database=crm\"; "
     "without the password."},
    {"username", KeyType::String, false, nullptr,
     "The database user, appended as UID=; leave unset when the DSN or string has one."},
    {"password", KeyType::Secret, false, nullptr,
     "The database password (password_env or password_file), appended as PWD=; never logged."},
    {"query", KeyType::String, true, nullptr,
     "The SELECT that returns the contacts: every one (snapshot), or in incremental mode those "
     "changed since the cursor, bound as its one ? (\"... WHERE updated_at >= ?\")."},
    {"mode", KeyType::String, false, kDefaultMode,
     "snapshot (the query returns the whole desired set; removals come from the diff) or "
     "incremental (the query returns changes since the stored cursor)."},
    {"cursor_column", KeyType::String, false, nullptr,
     "Incremental: the query's column that grows with every change (updated_at, a sequence)."},
    {"cursor_type", KeyType::String, false, nullptr,
     "Incremental: integer, timestamp (time zones compared in UTC) or text (compared bytewise)."},
    {"tombstone_column", KeyType::String, false, nullptr,
     "Incremental: a column that is true (1, t, yes) on deleted rows; their numbers lose the "
     "job's subscriptions."},
    {"deletions_query", KeyType::String, false, nullptr,
     "Incremental: a SELECT of deleted numbers (in msisdn_column) since the cursor, bound as its "
     "one ?; for databases that delete rows instead of flagging them."},
    {"batch_size", KeyType::PositiveInteger, false, kDefaultBatchSize,
     "Rows fetched per round trip (1 to 1000000); memory holds one batch, never the whole "
     "result."},
    {"login_timeout", KeyType::PositiveInteger, false, kDefaultLoginTimeout,
     "Seconds to wait for the connection before the fetch fails (1 to 3600)."},
    {"msisdn_column", KeyType::String, false, kDefaultMsisdnColumn,
     "The column holding the phone number: text in any spelling, or an integer or decimal."},
    {"name_column", KeyType::String, false, kDefaultNameColumn,
     "The column holding the contact's name; at its default it may be absent from the query."},
    {"reference_column", KeyType::String, false, kDefaultReferenceColumn,
     "The column holding your own id for the contact; it also names rejected rows."},
    {"applications_column", KeyType::String, false, kDefaultApplicationsColumn,
     "The column listing application tokens; absent or NULL means the job's list applies."},
    {"applications_separator", KeyType::String, false, kDefaultApplicationsSeparator,
     "What separates tokens in the applications column; tokens are trimmed, empty ones dropped."},
    {"rule_column", KeyType::String, false, nullptr,
     "A column whose value picks the applications through application_rules."},
    {"application_rules", KeyType::StringList, false, nullptr,
     "Rules \"value => token, token\" over rule_column; \"*\" matches any value, an empty right "
     "side skips the row, an unmatched value rejects it."},
    {"attributes", KeyType::StringList, false, nullptr,
     "Columns to keep as template attributes; unset keeps every column without a role above."},
};

constexpr plugin::Descriptor kDescriptor = plugin::makeDescriptor<OdbcSource>(
    "odbc", "0.1.0", plugin::Kind::Source, "Contacts from an SQL query through ODBC (unixODBC)",
    kConfigSchema, std::size(kConfigSchema));

}  // namespace

const plugin::Descriptor* odbcDescriptor() { return &kDescriptor; }

MOBISYNC_PLUGIN_ENTRY(odbcDescriptor)

}  // namespace mobisync::plugins::odbc
