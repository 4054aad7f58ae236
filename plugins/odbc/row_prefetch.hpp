// SPDX-License-Identifier: Apache-2.0
// RowPrefetch: a query's rows read on a second thread while the caller maps the previous ones.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "block_reader.hpp"

namespace mobisync::plugins::odbc {

/// Rows of an opened BlockReader, a hand-off of up to kRowsPerHandOff at a time. A reader thread
/// fetches (the server's round trip and the driver's own row handling, most of a read's time)
/// while the caller's thread maps and hands on the rows already read, so the two overlap on a
/// machine with a second core. Memory: kHandOffs hand-offs of rows, recycled, on top of the
/// reader's one bound block. The reader is used by one thread at a time: only the reader thread
/// until the rows end, fail or the caller stops.
class RowPrefetch {
 public:
  /// One row as read: its cells, and `problem` when it could not be read whole.
  struct Row {
    std::vector<Cell> cells;
    bool whole = true;
    RowProblem problem;
  };
  /// Up to kRowsPerHandOff rows; `rows[0..count)` are this hand-off's.
  struct HandOff {
    std::vector<Row> rows;
    std::size_t count = 0;
    BlockReader::Next last = BlockReader::Next::Row;  ///< End or Failed after the final rows
  };

  /// Starts reading `reader` (already opened, columns bound) on a thread of its own.
  explicit RowPrefetch(BlockReader& reader);
  /// Stops the reader thread (after the fetch under way, if any) and waits for it.
  ~RowPrefetch();
  RowPrefetch(const RowPrefetch&) = delete;
  RowPrefetch& operator=(const RowPrefetch&) = delete;

  /// The next hand-off, waiting for it; the previous one returns to the reader. Its `last` is
  /// End or Failed once the rows run out (then the reader's error() says why a fetch failed).
  const HandOff& next();

  static constexpr std::size_t kRowsPerHandOff = 512;
  static constexpr std::size_t kHandOffs = 3;

 private:
  void run();
  void fill(HandOff& block);

  BlockReader& reader_;
  std::vector<HandOff> blocks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<HandOff*> free_;   // for the reader to fill
  std::deque<HandOff*> ready_;  // for the caller, in order
  HandOff* held_ = nullptr;     // the caller's current one
  bool stop_ = false;
  std::exception_ptr thrown_;   // what the reader thread threw, rethrown by next()
  std::thread thread_;
};

}  // namespace mobisync::plugins::odbc
