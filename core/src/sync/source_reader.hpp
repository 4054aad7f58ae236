// SPDX-License-Identifier: Apache-2.0
// readSource(): runs a source plugin into a DesiredSet, normalising and rejecting row by row.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/spelling_memo_store.hpp"
#include "sync/desired_set.hpp"
#include "sync/number_memo.hpp"
#include "sync/reject_writer.hpp"

namespace mobisync::sync {

/// What reading a source produced. `status` is ok only when the source was read completely.
struct SourceReadResult {
  Status status;
  /// Not yet finish()ed: the caller sorts it once the memos are released (at a million rows the
  /// sort and the memos together were the run's peak of memory).
  DesiredSet desired;
  std::int64_t fetched = 0;   ///< rows the source yielded, rejected ones included
  std::int64_t rejected = 0;  ///< rows written to the reject file
  /// Rejected rows whose number could not be read at all: they may be contacts the source
  /// still holds, so they count towards the job's max_reject gate.
  std::int64_t unreadable = 0;
  /// Rejected rows whose number could be read: their numbers' pairs are protected this run.
  std::int64_t protected_rows = 0;
  /// Digit strings the normaliser mapped to themselves this time, for the memo.
  std::vector<std::int64_t> new_canonical;
  /// Other spellings the normaliser read this time, with their numbers, for the spelling memo.
  state::SpellingRows new_spellings;
  /// The source said this read holds only changes (ContactSink::markIncremental): numbers it did
  /// not yield keep their subscriptions.
  bool incremental = false;
  /// Normalised numbers the source tombstoned, sorted and unique (incremental reads only).
  std::vector<std::string> tombstones;
  /// The cursor the source reached, to store once the run's calls are all confirmed.
  std::optional<plugin::Cursor> cursor;
};

/// Creates the job's source instance, init()s it with its validated config, fetches through the
/// plugin guard, normalises each msisdn with the job's region and maps its applications (its own
/// tokens, else the job's fixed list). Bad rows go to `rejects`. Never throws.
/// `memo` holds what earlier runs learnt: a source cell holding exactly digits of its canonical
/// numbers, or exactly a spelling it remembers, skips libphonenumber.
/// `on_row` (optional) is called every 10,000 rows with the count so far, for progress.
/// `stored_cursor` is what the sink tells an incremental source (nullopt: read everything).
SourceReadResult readSource(const config::AppConfig& cfg, const config::JobConfig& job,
                            plugin_host::PluginLoader& loader, RejectWriter& rejects,
                            const NumberMemo& memo,
                            const std::function<void(std::int64_t)>& on_row = {},
                            const std::optional<plugin::Cursor>& stored_cursor = std::nullopt);

}  // namespace mobisync::sync
