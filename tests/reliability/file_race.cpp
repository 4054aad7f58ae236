// SPDX-License-Identifier: Apache-2.0
#include "reliability/file_race.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

namespace mobisync::test::safety {

namespace {

namespace fs = std::filesystem;

/// The descriptor number under which `pid` has `path` open, if it has.
std::optional<std::string> openDescriptor(pid_t pid, const fs::path& path) {
  std::error_code ec;
  fs::directory_iterator it(fs::path("/proc") / std::to_string(pid) / "fd", ec);
  if (ec) return std::nullopt;
  for (const auto& entry : it) {
    fs::path target = fs::read_symlink(entry.path(), ec);
    if (!ec && target == path) return entry.path().filename().string();
  }
  return std::nullopt;
}

/// The file offset of descriptor `fd` of `pid`, or nullopt when it is closed.
std::optional<std::size_t> offsetOf(pid_t pid, const std::string& fd) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + fd);
  std::string key;
  std::size_t value = 0;
  while (in >> key) {
    if (key == "pos:" && in >> value) return value;
  }
  return std::nullopt;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

FileRace::FileRace(pid_t pid, std::string path, Mode mode, std::size_t at_offset,
                   std::function<void()> change)
    : pid_(pid),
      path_(fs::canonical(path).string()),
      mode_(mode),
      at_offset_(at_offset),
      change_(std::move(change)) {
  outcome_.size = fs::file_size(path_);
  thread_ = std::thread([this] { watch(); });
}

FileRace::~FileRace() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

RaceOutcome FileRace::result() {
  if (thread_.joinable()) thread_.join();
  return outcome_;
}

void FileRace::watch() {
  const fs::path path(path_);
  std::optional<std::string> fd;
  while (!stop_ && alive(pid_)) {
    // A zombie still answers kill(0); its fd directory is empty, and the wait ends the loop.
    if (!fd) {
      fd = openDescriptor(pid_, path);
      if (fd) outcome_.seen_open = true;
    }
    if (fd) {
      std::optional<std::size_t> pos = offsetOf(pid_, *fd);
      // The descriptor may have been closed and its number reused for something else.
      if (pos && openDescriptor(pid_, path) != fd) pos.reset();
      if (mode_ == Mode::MidRead) {
        if (!pos) return;  // closed before the offset reached the mark: the read was whole
        if (*pos >= outcome_.size) return;
        if (*pos >= at_offset_ && *pos > 0) {
          outcome_.offset = *pos;
          outcome_.mid_read = true;
          act();
          return;
        }
      } else if (!pos) {
        act();
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

void FileRace::act() {
  outcome_.acted = true;
  try {
    change_();
  } catch (const std::exception& e) {
    outcome_.error = e.what();
  }
}

void rewriteInPlace(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  constexpr std::size_t kChunk = 256 * 1024;
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min(kChunk, bytes.size() - at);
    const ssize_t w = ::write(fd, bytes.data() + at, n);
    if (w <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    at += static_cast<std::size_t>(w);
  }
  ::close(fd);
}

}  // namespace mobisync::test::safety
