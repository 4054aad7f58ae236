// SPDX-License-Identifier: Apache-2.0
// RowPrefetch: a query's rows read on a second thread while the caller maps the previous ones.
#include "row_prefetch.hpp"

namespace mobisync::plugins::odbc {

RowPrefetch::RowPrefetch(BlockReader& reader) : reader_(reader), blocks_(kHandOffs) {
  for (HandOff& block : blocks_) {
    free_.push_back(&block);
  }
  thread_ = std::thread([this] { run(); });
}

RowPrefetch::~RowPrefetch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void RowPrefetch::run() {
  for (;;) {
    HandOff* block = nullptr;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || !free_.empty(); });
      if (stop_) {
        return;
      }
      block = free_.front();
      free_.pop_front();
    }
    try {
      fill(*block);
    } catch (...) {
      // Whatever the driver or an allocation threw reaches the caller's thread as it was.
      block->count = 0;
      block->last = BlockReader::Next::Failed;
      std::lock_guard lock(mutex_);
      thrown_ = std::current_exception();
    }
    const bool finished = block->last != BlockReader::Next::Row;
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(block);
    }
    changed_.notify_all();
    if (finished) {
      return;
    }
  }
}

void RowPrefetch::fill(HandOff& block) {
  block.count = 0;
  block.last = BlockReader::Next::Row;
  const std::size_t width = reader_.columns().size();
  while (block.count < kRowsPerHandOff) {
    if (block.rows.size() <= block.count) {
      block.rows.emplace_back();
      block.rows.back().cells.resize(width);
    }
    Row& row = block.rows[block.count];
    switch (reader_.next(row.cells)) {
      case BlockReader::Next::Row:
        row.whole = true;
        ++block.count;
        break;
      case BlockReader::Next::BadRow:
        row.whole = false;
        row.problem = reader_.problem();
        ++block.count;
        break;
      case BlockReader::Next::End:
        block.last = BlockReader::Next::End;
        return;
      case BlockReader::Next::Failed:
        block.last = BlockReader::Next::Failed;
        return;
    }
  }
}

const RowPrefetch::HandOff& RowPrefetch::next() {
  std::unique_lock lock(mutex_);
  if (held_ != nullptr) {
    free_.push_back(held_);
    held_ = nullptr;
    changed_.notify_all();
  }
  changed_.wait(lock, [&] { return !ready_.empty(); });
  held_ = ready_.front();
  ready_.pop_front();
  if (held_->last == BlockReader::Next::Failed && thrown_) {
    std::rethrow_exception(thrown_);
  }
  return *held_;
}

}  // namespace mobisync::plugins::odbc
