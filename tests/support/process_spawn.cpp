// SPDX-License-Identifier: Apache-2.0
// The system calls under runProcess and ChildProcess: pipes, fork/execve, waiting, output files.
#include "support/process_spawn.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace mobisync::test::process_detail {
namespace {

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

}  // namespace

void makePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
  }
  read_end = Fd(fds[0]);
  write_end = Fd(fds[1]);
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

}  // namespace mobisync::test::process_detail
