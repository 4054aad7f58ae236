// SPDX-License-Identifier: Apache-2.0
// A writer that changes a file while another process reads it, timed by the reader's own file
// offset (/proc/<pid>/fdinfo), so "changed mid-read" is a fact the test observed rather than a
// hope about timing.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>

namespace mobisync::test::safety {

/// What the race did.
struct RaceOutcome {
  bool seen_open = false;  ///< the reader had the file open at some poll
  bool acted = false;      ///< the change was made
  /// The change was made while the reader's offset was inside the file: it had not read the
  /// rest, so what it reads next is not the file it started on. A snapshot reader must fail.
  bool mid_read = false;
  std::size_t offset = 0;  ///< the reader's offset when the change was made
  std::size_t size = 0;    ///< the file's size before the change
  std::string error;       ///< why the change could not be made, if it could not
};

/// Watches process `pid` for an open descriptor on `path`. In MidRead mode, once its offset
/// reaches `at_offset` (and is still short of the end), calls `change` at once. In AfterRead
/// mode, calls `change` once the reader has closed the file again while the process still runs.
/// The watcher stops when the process ends; result() joins it. One use; not thread-safe.
class FileRace {
 public:
  enum class Mode { MidRead, AfterRead };
  FileRace(pid_t pid, std::string path, Mode mode, std::size_t at_offset,
           std::function<void()> change);
  ~FileRace();
  FileRace(const FileRace&) = delete;
  FileRace& operator=(const FileRace&) = delete;

  RaceOutcome result();

 private:
  void watch();
  void act();

  pid_t pid_;
  std::string path_;
  Mode mode_;
  std::size_t at_offset_;
  std::function<void()> change_;
  std::atomic<bool> stop_{false};
  RaceOutcome outcome_;
  std::thread thread_;
};

/// Rewrites `path` in place as an export job does: open with O_TRUNC, write in chunks, close.
void rewriteInPlace(const std::string& path, const std::string& bytes);

}  // namespace mobisync::test::safety
