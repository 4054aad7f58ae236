// SPDX-License-Identifier: Apache-2.0
// Reads regular files without blocking on anything else.
#include "config/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "values/file_kind.hpp"

namespace mobisync::config {

namespace {

Status notRegular(mode_t mode) {
  return Status::invalidConfig(std::string("is not a regular file (") + values::fileKindName(mode) +
                               ")");
}

Status cannotRead(int err) {
  return Status::invalidConfig(std::string("cannot read: ") + std::strerror(err));
}

/// An open descriptor of a regular file, closed on scope exit.
class RegularFd {
 public:
  explicit RegularFd(const std::string& path) {
    // stat first: open() itself blocks on a FIFO without a writer unless O_NONBLOCK is given,
    // and O_NONBLOCK would hand a read of a FIFO back as "no data" rather than an error.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      status_ = cannotRead(errno);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      status_ = notRegular(st.st_mode);
      return;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) {
      status_ = cannotRead(errno);
      return;
    }
    // The path may name something else by now.
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) status_ = notRegular(st.st_mode);
  }
  ~RegularFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  RegularFd(const RegularFd&) = delete;
  RegularFd& operator=(const RegularFd&) = delete;

  const Status& status() const { return status_; }

  /// Appends up to `max` bytes to `out`, stopping early once a chunk holds a newline when
  /// `to_newline` is set. @return false on a read error (status() says which).
  bool read(std::string& out, std::size_t max, bool to_newline = false) {
    char buf[4096];
    while (out.size() < max) {
      const std::size_t want = std::min(sizeof buf, max - out.size());
      const ssize_t n = ::read(fd_, buf, want);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        status_ = cannotRead(errno);
        return false;
      }
      if (n == 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      if (to_newline && std::memchr(buf, '\n', static_cast<std::size_t>(n)) != nullptr) break;
    }
    return true;
  }

 private:
  int fd_ = -1;
  Status status_;
};

}  // namespace

Result<std::string> readRegularFile(const std::string& path, std::size_t max_bytes) {
  RegularFd f(path);
  if (!f.status().isOk()) return f.status();
  std::string text;
  // One byte past the limit tells a file of exactly max_bytes from a larger one.
  if (!f.read(text, max_bytes + 1)) return f.status();
  if (text.size() > max_bytes) {
    return Status::invalidConfig("is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return text;
}

Result<std::string> readFirstLine(const std::string& path, std::size_t max_bytes) {
  RegularFd f(path);
  if (!f.status().isOk()) return f.status();
  std::string line;
  if (!f.read(line, max_bytes + 1, true)) return f.status();
  const std::size_t end = line.find('\n');
  if (end != std::string::npos) line.resize(end);
  if (end == std::string::npos && line.size() > max_bytes) {
    return Status::invalidConfig("has no line end within the first " + std::to_string(max_bytes) +
                                 " bytes");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::invalidConfig("the first line is empty");
  return line;
}

}  // namespace mobisync::config
