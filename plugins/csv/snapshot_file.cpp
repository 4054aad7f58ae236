// SPDX-License-Identifier: Apache-2.0
// SnapshotFile: a regular file held open for one read, and whether it changed during the read.
#include "snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mobisync::plugins::csv {

namespace {

const char* kindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

Status notRegular(const std::string& path, mode_t mode) {
  return Status::io("csv: " + path + " is not a regular file (it is " + kindOf(mode) +
                    "); path must name a CSV file, which is read whole as one snapshot");
}

bool sameTime(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

}  // namespace

SnapshotFile::~SnapshotFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Status SnapshotFile::open(const std::string& path) {
  path_ = path;
  // stat first, so a FIFO or a device is never even opened; then the descriptor itself is
  // checked, since the name may have been pointed elsewhere in between.
  struct stat named {};
  if (::stat(path.c_str(), &named) != 0) {
    return Status::io("csv: cannot open " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(named.st_mode)) {
    return notRegular(path, named.st_mode);
  }
  // O_NONBLOCK: if a FIFO took the name after the stat, open() returns at once instead of
  // waiting for a writer; it changes nothing for a regular file.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd_ < 0) {
    return Status::io("csv: cannot open " + path + ": " + std::strerror(errno));
  }
  if (::fstat(fd_, &opened_) != 0) {
    return Status::io("csv: cannot read " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(opened_.st_mode)) {
    return notRegular(path, opened_.st_mode);
  }
#ifdef POSIX_FADV_SEQUENTIAL
  // Only a hint: a failure changes nothing we rely on.
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return Status::ok();
}

std::string SnapshotFile::change(std::optional<std::uint64_t> bytes_read) const {
  struct stat named {};
  if (::stat(path_.c_str(), &named) != 0) {
    return errno == ENOENT ? "it was removed" : std::string("it can no longer be found: ") +
                                                    std::strerror(errno);
  }
  if (named.st_dev != opened_.st_dev || named.st_ino != opened_.st_ino) {
    return "it was replaced by another file (renamed over it or recreated)";
  }
  struct stat now {};
  if (::fstat(fd_, &now) != 0) {
    return std::string("it can no longer be examined: ") + std::strerror(errno);
  }
  const auto size_then = static_cast<std::uint64_t>(opened_.st_size);
  const auto size_now = static_cast<std::uint64_t>(now.st_size);
  if (size_now != size_then) {
    return std::string(size_now > size_then ? "it grew" : "it shrank") + " from " +
           std::to_string(size_then) + " to " + std::to_string(size_now) + " bytes";
  }
  if (!sameTime(now.st_mtim, opened_.st_mtim)) {
    return "it was modified: its modification time changed";
  }
  if (bytes_read && *bytes_read != size_then) {
    // Same size and time, yet another length was read: rewritten within one clock tick.
    return "it was modified: " + std::to_string(*bytes_read) + " bytes were read of the " +
           std::to_string(size_then) + " it held";
  }
  return "";
}

}  // namespace mobisync::plugins::csv
