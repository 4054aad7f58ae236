// SPDX-License-Identifier: Apache-2.0
// Refuses files at the state path that are not mobisync's state; creates a new state atomically.
#include "state/sqlite_state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <vector>

#include <Poco/Data/Statement.h>

#include "state/migrations.hpp"
#include "state/sqlite_session.hpp"
#include "values/file_kind.hpp"

namespace mobisync::state {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

// The first 16 bytes of every SQLite 3 database file.
constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

[[noreturn]] void refuse(const std::string& path, const std::string& what,
                         const std::string& how) {
  throw StateFileRefused("state " + path + ": " + what +
                         "; mobisync will not open or overwrite it. " + how);
}

const std::string kRestoreOrRemove =
    "If it is your state cut short, restore it from a backup; to start a new state instead, "
    "remove the file (mobisync then no longer knows which subscriptions it made)";
const std::string kPointElsewhere =
    "Set [state] path to mobisync's state file, or to a path where no file exists for a new one";

[[noreturn]] void cannot(const std::string& path, const std::string& action, int err) {
  throw StateError("state " + path + ": cannot " + action + ": " + std::strerror(err));
}

// Database files whose header this process has read, by device and inode, with the descriptor
// it read them through, kept open for the life of the process. Closing a descriptor drops every
// POSIX lock the process holds on the file, the SQLite connections' of other threads included
// (a daemon's messaging service, while a job run or the readiness probe opens the state): another
// process then takes itself for the last one, checkpoints and removes the WAL, and this process
// goes on writing to a WAL nobody reads. SQLite keeps its own descriptors open for that reason.
struct OpenedFile {
  dev_t dev;
  ino_t ino;
  int fd;
};

std::mutex& openedMutex() {
  static std::mutex m;
  return m;
}

std::vector<OpenedFile>& openedFiles() {
  static std::vector<OpenedFile> files;
  return files;
}

/// The descriptor kept for the file (dev, ino), or -1.
int keptDescriptor(dev_t dev, ino_t ino) {
  std::lock_guard lock(openedMutex());
  for (const auto& f : openedFiles()) {
    if (f.dev == dev && f.ino == ino) return f.fd;
  }
  return -1;
}

std::string readHeader(int fd) {
  std::string header(kSqliteHeader.size(), '\0');
  std::size_t got = 0;
  while (got < header.size()) {
    const ssize_t n =
        ::pread(fd, header.data() + got, header.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  header.resize(got);
  return header;
}

// Reads the first bytes of `path` without blocking on a FIFO swapped in since the stat, through
// a descriptor that stays open once the file proves to be a regular one (see OpenedFile): a file
// seen before is read through the descriptor kept for it, so no call opens or closes another.
std::string headerOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    if (const int fd = keptDescriptor(st.st_dev, st.st_ino); fd >= 0) return readHeader(fd);
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) cannot(path, "open", errno);
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);  // not a database: no lock of ours can be on it
    refuse(path, std::string("is not a regular file (") + values::fileKindName(st.st_mode) + ")",
           kPointElsewhere);
  }
  {
    // Kept even when another thread kept one for the same file meanwhile: closing it would
    // drop the locks all the same (one more descriptor, once, in that race).
    std::lock_guard lock(openedMutex());
    openedFiles().push_back({st.st_dev, st.st_ino, fd});
  }
  return readHeader(fd);
}

// A new state under a temporary name beside `path`, carrying mobisync's mark, linked into place
// only if nothing took the path meanwhile (another process creating the same state wins alike).
void createState(const std::string& path) {
  std::string temp = path + ".new-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) cannot(path, "open", errno);
  ::close(fd);
  std::error_code ec;
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(temp + suffix, ec);
    }
  };
  try {
    Poco::Data::Session session = openSqliteSession(temp);
    recordedSchemaVersion(session);  // creates schema_migrations: the mark of our state
    // Closing the last connection checkpoints the WAL into the file and removes it.
    session.close();
  } catch (...) {
    cleanup();
    rethrowAsStateError(path, "create a new state");
  }
  if (::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    // A file system without hard links: rename, after a last look for a file put there since.
    const int err = errno;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && ::rename(temp.c_str(), path.c_str()) != 0) {
      cleanup();
      cannot(path, "create a new state", err);
    }
  }
  cleanup();
}

}  // namespace

void prepareStateFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) cannot(path, "open", errno);
    createState(path);
    if (::stat(path.c_str(), &st) != 0) cannot(path, "open", errno);
  }
  if (!S_ISREG(st.st_mode)) {
    refuse(path, std::string("is not a regular file (") + values::fileKindName(st.st_mode) + ")",
           kPointElsewhere);
  }
  if (st.st_size == 0) {
    refuse(path, "the file is empty (0 bytes), so it is not a mobisync state", kRestoreOrRemove);
  }
  if (headerOf(path) != kSqliteHeader) {
    refuse(path, "the file is not an SQLite database, so it is not a mobisync state",
           kPointElsewhere);
  }
}

void checkStateMark(Poco::Data::Session& session, const std::string& path) {
  int marked = 0;
  try {
    session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
               "name = 'schema_migrations'",
        into(marked), now;
  } catch (...) {
    rethrowAsStateError(path, "read the schema");
  }
  if (marked == 0) {
    refuse(path,
           "the file is an SQLite database without mobisync's tables (no schema_migrations), "
           "so it is not a mobisync state",
           kPointElsewhere);
  }
}

}  // namespace mobisync::state
