// SPDX-License-Identifier: Apache-2.0
// Running programs from tests: to completion with captured output, or in the background.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mobisync::test {

/// What a finished program left behind.
struct ProcessResult {
  int exit_code;    ///< exit status; -N if killed by signal N; -1 on timeout
  std::string out;  ///< everything written to stdout
  std::string err;  ///< everything written to stderr (plus a note when it timed out)
};

/// Runs argv (argv[0] is the program; searched in $PATH when it has no '/') with the current
/// environment plus `extra_env`, feeds it `stdin_data`, and collects stdout and stderr without
/// risk of pipe deadlock. On timeout the program's process group is killed and exit_code is -1.
/// @throws std::runtime_error when the program cannot be started.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(120),
                         const std::string& stdin_data = "");

/// A program running in the background, in its own process group, stdin from /dev/null.
/// Owned by one test; not thread-safe. The destructor SIGKILLs the group if it still runs.
class ChildProcess {
 public:
  /// Starts argv with the current environment plus `extra_env`. With `output_dir` set, stdout and
  /// stderr go to `<output_dir>/<program>.stdout` and `.stderr` (a "-N" suffix is added when those
  /// exist); otherwise to /dev/null.
  /// @throws std::runtime_error when the program cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::map<std::string, std::string>& extra_env = {},
                        const std::string& output_dir = "");
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  /// Sends `sig` to the program (not its group). A no-op once it has been reaped.
  void kill(int sig);

  /// Blocks until it exits. @return the exit status, or -N if killed by signal N.
  int wait();

  /// Like wait() but gives up after `timeout`; nullopt when it is still running.
  std::optional<int> waitFor(std::chrono::milliseconds timeout);

  /// True until the program has exited (reaping it if it just did).
  bool running();

  /// Paths of the output files; empty when output goes to /dev/null.
  const std::string& stdoutPath() const { return stdout_path_; }
  const std::string& stderrPath() const { return stderr_path_; }

  /// What the program has written so far; "" when output goes to /dev/null.
  std::string readStdout() const;
  std::string readStderr() const;

 private:
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string stdout_path_;
  std::string stderr_path_;
};

}  // namespace mobisync::test
