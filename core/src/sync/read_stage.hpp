// SPDX-License-Identifier: Apache-2.0
// The read stage: the job's source into a desired set and rejects, with what the state knows
// of earlier reads (the number memo, the incremental cursor).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "mobisync/status.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"
#include "sync/number_memo.hpp"
#include "sync/reject_writer.hpp"
#include "sync/source_reader.hpp"

namespace mobisync::sync {

/// The source itself: given the number memo and the stored cursor, it reads the whole source
/// (readSource, or a fake in tests).
using SourceFetch = std::function<SourceReadResult(const NumberMemo& memo,
                                                   const std::optional<plugin::Cursor>& cursor)>;

/// The fetch of a real run: readSource with the job's plugin, rejects and progress callback.
SourceFetch pluginFetch(const config::AppConfig& cfg, const config::JobConfig& job,
                        plugin_host::PluginLoader& loader, RejectWriter& rejects,
                        std::function<void(std::int64_t)> on_row);

/// What the read stage hands on.
struct SourceRead {
  /// Ok when the desired set is the source's whole answer and may be planned; otherwise why not
  /// ("source X failed, nothing applied: ...", or the cursor could not be read).
  Status status;
  SourceReadResult source;
  std::string memo_region;  ///< the memo's region for the new numbers (the job's, upper case)
  /// The memo the read used; which of its spellings were found decides what the memo keeps.
  NumberMemo memo;
};

/// The region a job's memos are kept under: its default_region, upper case.
std::string memoRegion(const config::JobConfig& job);

/// Loads the memos (a failure only costs time: warned about) and, unless `full_refresh`, the
/// job's cursor, then fetches. The desired set comes back unsorted: finish() it after
/// releaseMemos(). Reads the state, never writes it (the run recorder writes the
/// memo's new numbers, recordSpellingMemo its spellings). Never throws.
SourceRead readStage(const config::JobConfig& job, state::StateStore& store, bool full_refresh,
                     const SourceFetch& fetch);

/// Frees what the read kept for the memos (the memo it used, the new canonical numbers and
/// spellings), once they are recorded: the desired set's sort and the plan come after.
void releaseMemos(SourceRead& read);

}  // namespace mobisync::sync
