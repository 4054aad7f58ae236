// SPDX-License-Identifier: Apache-2.0
// The rows of the source's queries into the sink: contacts, rejections and tombstones.
#pragma once

#include <sql.h>

#include <cstdint>
#include <optional>
#include <string>

#include "mobisync/plugin/plugin.hpp"
#include "odbc_options.hpp"

namespace mobisync::plugins::odbc {

/// What one read of the main query handed over, for the cursor and the debug log.
struct ContactCounts {
  std::optional<std::string> highest;  ///< the highest cursor value read (incremental mode)
  std::uint64_t rows = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t skipped = 0;
  std::uint64_t tombstones = 0;
};

/// Reads the main query into `sink`: a Contact per row, rejections that keep a readable number's
/// subscriptions, and in incremental mode (`from` set: changes since that cursor) tombstones for
/// rows flagged deleted. `counts` says what was handed over, even when a row stopped the read.
Status readContacts(SQLHDBC dbc, const Options& options, const std::optional<std::string>& from,
                    plugin::ContactSink& sink, ContactCounts& counts);

/// Reads `deletions_query` from cursor `from` into `sink` as tombstones. A row that cannot be
/// read is rejected, never counted as a contact.
Status readDeletions(SQLHDBC dbc, const Options& options, const std::string& from,
                     plugin::ContactSink& sink);

}  // namespace mobisync::plugins::odbc
