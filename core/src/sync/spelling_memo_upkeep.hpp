// SPDX-License-Identifier: Apache-2.0
// recordSpellingMemo: a run's new spellings into the state, the job's memo kept bounded.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "state/state_store.hpp"
#include "sync/read_stage.hpp"

namespace mobisync::sync {

/// Rows the memo may hold beyond twice what a full read uses, so a source that shrinks a
/// little does not rewrite the memo on every run.
constexpr std::size_t kSpellingMemoSlack = 1000;

/// What to do with the job's stored spellings after a read.
enum class SpellingUpkeep { Nothing, Add, Replace };

/// Add the new spellings, or replace the job's rows with those the read used plus the new
/// ones when the stored rows would exceed twice that (plus the slack: spellings no longer in
/// the source are then dropped; only a complete full read may judge that, an incremental or
/// failed one sees part), or when the memo was empty (rows of another region or engine may be
/// left).
/// Neither ever makes the job's rows exceed kSpellingMemoMaxRows (new spellings past it are not
/// recorded: they only cost time), so the memo stays bounded whatever the reads.
SpellingUpkeep chooseSpellingUpkeep(std::size_t stored, std::size_t used, std::size_t fresh,
                                    bool complete_full_read);

/// Records `read`'s new spellings for `job` as chooseSpellingUpkeep says. The memo only saves
/// time, so a failure is a warning. Call only in runs that write the state.
void recordSpellingMemo(state::StateStore& store, const std::string& job, const SourceRead& read);

/// Drops the memo rows of every (job, region) that no job of `jobs` reads with (a job deleted
/// or renamed in the config, a default_region changed): recordSpellingMemo keeps each job's own
/// rows bounded, and this keeps the table to the jobs configured. Costs one index seek per
/// (job, region) held. Hosts sharing a state share one config (docs/operations.md), so a job
/// still configured elsewhere is not expected; if one is, it only normalises again. A failure
/// is a warning. Call only in runs that write the state.
void dropUnusedSpellingMemos(state::StateStore& store, const std::vector<config::JobConfig>& jobs);

}  // namespace mobisync::sync
