// SPDX-License-Identifier: Apache-2.0
// fork/execve-based process helpers for tests: no shell, no deadlock on large output.
#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/process_spawn.hpp"

namespace mobisync::test {

using process_detail::createOutputFile;
using process_detail::decodeStatus;
using process_detail::Fd;
using process_detail::makePipe;
using process_detail::openOrThrow;
using process_detail::readWholeFile;
using process_detail::spawn;
using process_detail::waitPid;
using process_detail::writeWithoutSigpipe;

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env,
                         std::chrono::seconds timeout, const std::string& stdin_data) {
  const auto deadline = Clock::now() + timeout;
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  makePipe(in_read, in_write);
  makePipe(out_read, out_write);
  makePipe(err_read, err_write);
  pid_t pid = spawn(argv, extra_env, in_read.get(), out_write.get(), err_write.get());
  in_read.reset();
  out_write.reset();
  err_write.reset();

  ProcessResult result{0, {}, {}};
  std::size_t written = 0;
  if (stdin_data.empty()) {
    in_write.reset();
  } else {
    ::fcntl(in_write.get(), F_SETFL, ::fcntl(in_write.get(), F_GETFL) | O_NONBLOCK);
  }

  bool timed_out = false;
  char buffer[65536];
  // Both pipes are drained in one poll loop: a child that fills stderr while we wait on stdout
  // would otherwise block forever.
  while (out_read.open() || err_read.open()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3];
    nfds_t count = 0;
    Fd* owners[3];
    std::string* sinks[3];
    auto watch = [&](Fd& fd, short events, std::string* sink) {
      if (fd.open()) {
        fds[count] = pollfd{fd.get(), events, 0};
        owners[count] = &fd;
        sinks[count] = sink;
        ++count;
      }
    };
    watch(in_write, POLLOUT, nullptr);
    watch(out_read, POLLIN, &result.out);
    watch(err_read, POLLIN, &result.err);
    int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
    }
    for (nfds_t i = 0; ready > 0 && i < count; ++i) {
      if (fds[i].revents == 0) {
        continue;
      }
      if (sinks[i] == nullptr) {
        ssize_t n = writeWithoutSigpipe(fds[i].fd, stdin_data.data() + written,
                                        stdin_data.size() - written);
        if (n > 0) {
          written += static_cast<std::size_t>(n);
        }
        // A program that stops reading early (EPIPE) is its business, not an error of ours.
        if (written == stdin_data.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          owners[i]->reset();
        }
        continue;
      }
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        owners[i]->reset();
      }
    }
  }
  in_write.reset();

  int status = 0;
  while (!timed_out) {
    pid_t done = waitPid(pid, &status, WNOHANG);
    if (done == pid) {
      result.exit_code = decodeStatus(status);
      return result;
    }
    if (done < 0) {
      throw std::runtime_error("waitpid failed for " + argv[0] + ": " + std::strerror(errno));
    }
    if (Clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    // Output is closed, so exit is imminent; a short sleep avoids a busy loop.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  // Kill the whole group: a shell's grandchildren would otherwise live on holding our pipes.
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  waitPid(pid, &status, 0);
  result.exit_code = -1;
  result.err += "\n[runProcess] " + argv[0] + " timed out after " +
                std::to_string(timeout.count()) + " s and was killed\n";
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& extra_env,
                           const std::string& output_dir) {
  Fd in(openOrThrow("/dev/null", O_RDONLY));
  Fd out;
  Fd err;
  if (output_dir.empty()) {
    out = Fd(openOrThrow("/dev/null", O_WRONLY));
    err = Fd(openOrThrow("/dev/null", O_WRONLY));
  } else {
    std::string stem = argv.empty() ? "process" : argv[0].substr(argv[0].rfind('/') + 1);
    out = Fd(createOutputFile(output_dir, stem, ".stdout", stdout_path_));
    err = Fd(createOutputFile(output_dir, stem, ".stderr", stderr_path_));
  }
  pid_ = spawn(argv, extra_env, in.get(), out.get(), err.get());
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap(true);
  }
}

void ChildProcess::kill(int sig) {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, sig);
  }
}

int ChildProcess::wait() {
  reap(true);
  return *exit_code_;
}

std::optional<int> ChildProcess::waitFor(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!reap(false)) {
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_code_;
}

bool ChildProcess::running() { return !reap(false); }

std::string ChildProcess::readStdout() const { return readWholeFile(stdout_path_); }

std::string ChildProcess::readStderr() const { return readWholeFile(stderr_path_); }

bool ChildProcess::reap(bool block) {
  if (exit_code_) {
    return true;
  }
  int status = 0;
  pid_t done = waitPid(pid_, &status, block ? 0 : WNOHANG);
  if (done == pid_) {
    exit_code_ = decodeStatus(status);
    return true;
  }
  if (done < 0) {
    // ECHILD: someone else reaped it (e.g. SIGCHLD set to SIG_IGN); it is gone either way.
    exit_code_ = -1;
    return true;
  }
  return false;
}

}  // namespace mobisync::test
