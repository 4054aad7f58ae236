// SPDX-License-Identifier: Apache-2.0
// SnapshotFile: a regular file held open for one read, and whether it changed during the read.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>

#include "mobisync/status.hpp"

namespace mobisync::plugins::csv {

/// One regular file opened for one read, with its identity (device, inode, size, modification
/// time) as it was when opened. The export job that writes a contact file may rewrite it in
/// place or rename a new one over it while a read runs; a read that saw a mix of versions, or
/// a version that was still growing, must fail rather than pass for a complete snapshot.
/// Owns its descriptor; not copyable.
class SnapshotFile {
 public:
  SnapshotFile() = default;
  ~SnapshotFile();
  SnapshotFile(const SnapshotFile&) = delete;
  SnapshotFile& operator=(const SnapshotFile&) = delete;

  /// Opens `path` for reading. Anything but a regular file (a FIFO, a device, a directory) is
  /// refused before it is opened in a way that could block, and the opened descriptor is
  /// checked again, so what is read is what was checked. Failures are Io Statuses that name
  /// the path.
  Status open(const std::string& path);

  int fd() const { return fd_; }

  /// How the file differs from when open() opened it, judged by the open descriptor, by what
  /// the path names now and, after a read to the end, by `bytes_read` (what the read got from
  /// the descriptor): "" when nothing changed, else a clause such as "it grew from 10 to 20
  /// bytes".
  std::string change(std::optional<std::uint64_t> bytes_read) const;

 private:
  std::string path_;
  int fd_ = -1;
  struct stat opened_ {};
};

}  // namespace mobisync::plugins::csv
