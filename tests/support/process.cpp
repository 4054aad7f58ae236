// SPDX-License-Identifier: Apache-2.0
// fork/execve-based process helpers for tests: no shell, no deadlock on large output.
#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace mobisync::test {
namespace {

using Clock = std::chrono::steady_clock;

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
void makePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  }
  read_end = Fd(fds[0]);
  write_end = Fd(fds[1]);
}

std::string resolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return program;  // execve then fails with ENOENT, which is the message we want
}

std::vector<std::string> environmentWith(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string item(*entry);
    if (extra.count(item.substr(0, item.find('='))) == 0) {
      env.push_back(std::move(item));
    }
  }
  for (const auto& [key, value] : extra) {
    env.push_back(key + "=" + value);
  }
  return env;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return -WTERMSIG(status);
  }
  return -1;
}

pid_t waitPid(pid_t pid, int* status, int flags) {
  pid_t result;
  do {
    result = ::waitpid(pid, status, flags);
  } while (result < 0 && errno == EINTR);
  return result;
}

// Starts argv in a new process group with the given fds as 0, 1 and 2. An execve failure is
// reported back through a close-on-exec pipe, so it becomes an exception here instead of a
// mysterious exit code 127 later.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int in_fd, int out_fd, int err_fd) {
  if (argv.empty() || argv[0].empty()) {
    throw std::runtime_error("cannot start a process: empty argv");
  }
  // Everything the child needs is prepared before fork(): after it, in a threaded test process,
  // only async-signal-safe calls are allowed.
  std::string program = resolveProgram(argv[0]);
  std::vector<std::string> args = argv;
  std::vector<std::string> vars = environmentWith(env);
  std::vector<char*> c_args = cStrings(args);
  std::vector<char*> c_vars = cStrings(vars);
  Fd report_read;
  Fd report_write;
  makePipe(report_read, report_write);

  pid_t pid = ::fork();
  if (pid < 0) {
    throw std::runtime_error("cannot start " + argv[0] + ": fork failed: " + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    // A test may block or ignore signals for itself; the program deserves a clean slate.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    ::execve(program.c_str(), c_args.data(), c_vars.data());
    int error = errno;
    ssize_t ignored = ::write(report_write.get(), &error, sizeof error);
    (void)ignored;
    ::_exit(127);
  }
  // Also from the parent, so a kill of the group right after spawn cannot miss the child.
  ::setpgid(pid, pid);
  report_write.reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    int status = 0;
    waitPid(pid, &status, 0);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(child_errno));
  }
  return pid;
}

// write() that turns a closed reader into EPIPE instead of killing the test with SIGPIPE, without
// touching the process-wide disposition (other tests may rely on it).
ssize_t writeWithoutSigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  ssize_t n = ::write(fd, data, size);
  int error = errno;
  if (n < 0 && error == EPIPE && !was_pending) {
    timespec zero{};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = error;
  return n;
}

int openOrThrow(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  }
  return fd;
}

// Creates <dir>/<stem><suffix> exclusively, so two children in one directory never share a file.
int createOutputFile(const std::string& dir, const std::string& stem, const std::string& suffix,
                     std::string& path) {
  for (int attempt = 1; attempt < 1000; ++attempt) {
    path = dir + "/" + stem + (attempt > 1 ? "-" + std::to_string(attempt) : "") + suffix;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      return fd;
    }
    if (errno != EEXIST) {
      break;
    }
  }
  throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
}

std::string readWholeFile(const std::string& path) {
  if (path.empty()) {
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

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
