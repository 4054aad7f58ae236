// SPDX-License-Identifier: Apache-2.0
// The system calls under runProcess and ChildProcess: pipes, fork/execve, waiting, output files.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace mobisync::test::process_detail {

// Closes on scope exit so every early throw below leaks nothing.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }

  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

// O_CLOEXEC matters: another test thread forking at the same moment must not inherit our pipe
// ends, or we would wait for an EOF that its child keeps from us.
void makePipe(Fd& read_end, Fd& write_end);

/// The exit status of a waitpid() status; -N if killed by signal N; -1 otherwise.
int decodeStatus(int status);

/// waitpid() that retries on EINTR.
pid_t waitPid(pid_t pid, int* status, int flags);

// Starts argv in a new process group with the given fds as 0, 1 and 2. An execve failure is
// reported back through a close-on-exec pipe, so it becomes an exception here instead of a
// mysterious exit code 127 later.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int in_fd, int out_fd, int err_fd);

// write() that turns a closed reader into EPIPE instead of killing the test with SIGPIPE, without
// touching the process-wide disposition (other tests may rely on it).
ssize_t writeWithoutSigpipe(int fd, const char* data, std::size_t size);

/// open() with O_CLOEXEC. @throws std::runtime_error naming the path.
int openOrThrow(const std::string& path, int flags);

// Creates <dir>/<stem><suffix> exclusively, so two children in one directory never share a file.
int createOutputFile(const std::string& dir, const std::string& stem, const std::string& suffix,
                     std::string& path);

/// The whole file; "" for an empty path.
std::string readWholeFile(const std::string& path);

}  // namespace mobisync::test::process_detail
