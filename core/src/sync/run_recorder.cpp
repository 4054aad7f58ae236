// SPDX-License-Identifier: Apache-2.0
// RunRecorder: the run history row, the memo, confirmed changes and the cursor.
#include "sync/run_recorder.hpp"

#include <exception>
#include <utility>

#include <Poco/Logger.h>

#include "mobisync/text.hpp"
#include "model/msisdn.hpp"
#include "state/cursor_store.hpp"
#include "state/write_transaction.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::sync {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.sync"); }

}  // namespace

RunRecorder::RunRecorder(state::StateStore& store, std::string job, std::string mode,
                         bool writes)
    : store_(store), job_(std::move(job)), mode_(std::move(mode)), writes_(writes) {}

Status RunRecorder::begin(std::int64_t now_ms) {
  if (!writes_) return Status::ok();
  try {
    run_id_ = store_.beginRun(job_, mode_, now_ms);
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::io(e.what());
  }
}

void RunRecorder::recordNumberMemo(const std::string& region,
                                   const std::vector<std::int64_t>& numbers) {
  if (!writes_ || numbers.empty()) return;
  try {
    store_.addCanonicalNumbers(region, model::MsisdnNormalizer::engineTag(), numbers);
  } catch (const std::exception& e) {
    log().warning("job %s: cannot record the number memo: %s", job_, std::string(e.what()));
  }
}

void RunRecorder::recordChanges(const std::vector<state::PairChange>& changes,
                                const std::vector<notify::QueuedMessage>& messages) {
  if (!writes_ || (changes.empty() && messages.empty())) return;
  // Both writes open their own transaction; this one makes them join it.
  state::WriteTransaction tx(store_.session());
  store_.apply(job_, changes);
  notify::enqueueMessages(store_, messages, values::nowMs());
  tx.commit();
}

Status RunRecorder::saveCursor(const std::string& source, const plugin::Cursor& cursor,
                               std::int64_t now_ms) {
  if (!writes_) return Status::ok();
  try {
    state::CursorStore(store_).save(job_, source, cursor.value, cursor.type, now_ms);
    return Status::ok();
  } catch (const std::exception& e) {
    return Status::io(e.what());
  }
}

void RunRecorder::finish(const JobReport& r, std::int64_t now_ms) {
  if (!writes_) return;
  if (run_id_ != 0) {
    try {
      state::RunRecord rec;
      static_cast<state::RunCounts&>(rec) = r;
      rec.id = run_id_;
      rec.job = job_;
      rec.mode = mode_;
      rec.outcome = outcomeName(r.outcome);
      rec.ended_at_ms = now_ms;
      // Bounded: a message quoting a huge cell must not grow the state on every run.
      rec.message = text::excerpt(!r.status ? r.status.message() : r.blocked_reason, 1000);
      store_.finishRun(rec);
    } catch (const std::exception& e) {
      log().error("job %s: cannot record the run: %s", job_, std::string(e.what()));
    }
  }
  // A run that did not do what it planned says why, at error level, on its summary line.
  const std::string line = summaryLine(r);
  if (r.outcome == JobOutcome::Failed || r.outcome == JobOutcome::Partial) {
    log().error(line);
  } else if (r.outcome == JobOutcome::Blocked) {
    log().warning(line);
  } else {
    log().information(line);
  }
}

std::string summaryLine(const JobReport& r) {
  std::string line = "job=" + r.job + " source=" + r.source + " outcome=" + outcomeName(r.outcome);
  for (const auto& field : state::kRunCountFields) {
    line += " " + std::string(field.name) + "=" + std::to_string(r.*field.member);
  }
  line += " calls=" + std::to_string(r.calls) + " retries=" + std::to_string(r.retries) +
          " ms=" + std::to_string(static_cast<std::int64_t>(r.seconds * 1000));
  if (r.outcome == JobOutcome::Failed || r.outcome == JobOutcome::Partial) {
    line += " reason=\"" + text::excerpt(r.status.message(), 1000) + "\"";
  } else if (r.outcome == JobOutcome::Blocked) {
    line += " reason=\"" + text::excerpt(r.blocked_reason, 1000) + "\"";
  }
  return line;
}

}  // namespace mobisync::sync
