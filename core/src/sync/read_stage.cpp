// SPDX-License-Identifier: Apache-2.0
// The read stage: memo and cursor from the state, then the source.
#include "sync/read_stage.hpp"

#include <cctype>
#include <exception>
#include <utility>
#include <vector>

#include "mobisync/text.hpp"
#include "state/cursor_store.hpp"

namespace mobisync::sync {

SourceFetch pluginFetch(const config::AppConfig& cfg, const config::JobConfig& job,
                        plugin_host::PluginLoader& loader, RejectWriter& rejects,
                        std::function<void(std::int64_t)> on_row) {
  return [&cfg, &job, &loader, &rejects, on_row = std::move(on_row)](
             const NumberMemo& memo, const std::optional<plugin::Cursor>& cursor) {
    return readSource(cfg, job, loader, rejects, memo, on_row, cursor);
  };
}

std::string memoRegion(const config::JobConfig& job) {
  std::string region = job.default_region;
  for (auto& ch : region) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return region;
}

SourceRead readStage(const config::JobConfig& job, state::StateStore& store, bool full_refresh,
                     const SourceFetch& fetch) {
  SourceRead out;
  out.memo_region = memoRegion(job);
  out.memo = loadNumberMemo(store, job.name, out.memo_region);
  std::optional<plugin::Cursor> stored_cursor;
  if (!full_refresh) {
    try {
      if (auto c = state::CursorStore(store).load(job.name, job.source)) {
        stored_cursor = plugin::Cursor{c->value, c->type};
      }
    } catch (const std::exception& e) {
      out.status = Status::io(e.what());
      return out;
    }
  }
  out.source = fetch(out.memo, stored_cursor);
  if (!out.source.status) {
    // A source that failed midway must not look like "these people left": nothing is planned.
    out.status = Status(out.source.status.code(),
                        "source " + job.source + " failed, nothing applied: " +
                            text::excerpt(out.source.status.message(), 1000));
  }
  return out;
}

void releaseMemos(SourceRead& read) {
  read.memo = NumberMemo();
  std::vector<std::int64_t>().swap(read.source.new_canonical);
  read.source.new_spellings = state::SpellingRows();
}

}  // namespace mobisync::sync
