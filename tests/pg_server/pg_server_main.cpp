// SPDX-License-Identifier: Apache-2.0
// mobisync_test_pg_server: one PostgreSQL cluster shared by every state test process of a ctest
// run. ctest runs `start DIR` as a fixture's setup and `stop DIR` as its cleanup; the test
// processes attach through DIR/info (see sharedPostgres()).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "support/postgres_process.hpp"

namespace {

namespace fs = std::filesystem;
using mobisync::test::PostgresProcess;

// A zombie still answers kill(0): the server it owned is gone, only its parent has not reaped it.
bool alive(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

pid_t readPid(const fs::path& dir) {
  std::ifstream in(dir / "pid");
  pid_t pid = 0;
  in >> pid;
  return pid;
}

// Stops the server a previous start left (also one whose ctest run was killed), then forgets it.
int stop(const fs::path& dir) {
  const pid_t pid = readPid(dir);
  if (alive(pid)) {
    ::kill(pid, SIGTERM);
    // The cluster's shutdown checkpoint can take long on a machine busy with a parallel build.
    for (int i = 0; i < 2400 && alive(pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (alive(pid)) {
      std::cerr << "shared PostgreSQL (pid " << pid << ") did not stop within 120 s\n";
      return 1;
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}

// The detached child: owns the cluster until SIGTERM, then stops it (the destructor).
[[noreturn]] void serve(const fs::path& dir) {
  ::setsid();
  // ctest waits for the setup test's output pipes to close: hand them back at once.
  const int log = ::open((dir / "server.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int null = ::open("/dev/null", O_RDONLY);
  ::dup2(null, STDIN_FILENO);
  ::dup2(log, STDOUT_FILENO);
  ::dup2(log, STDERR_FILENO);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  int status = 0;
  try {
    PostgresProcess server;
    server.writeInfo((dir / "info").string());
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
  } catch (const std::exception& e) {
    std::cerr << "shared PostgreSQL: " << e.what() << "\n";
    status = 1;
  }
  std::_Exit(status);
}

int start(const fs::path& dir) {
  if (stop(dir) != 0) return 1;
  fs::create_directories(dir);
  const pid_t child = ::fork();
  if (child < 0) {
    std::cerr << "fork failed\n";
    return 1;
  }
  if (child == 0) serve(dir);
  std::ofstream(dir / "pid") << child << "\n";
  // Readiness, not timing: wait for the info file or the child's exit.
  for (int i = 0; i < 1200; ++i) {
    if (fs::exists(dir / "info")) {
      std::cout << "shared PostgreSQL ready (pid " << child << ")\n";
      return 0;
    }
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream log(dir / "server.log");
  std::cerr << "shared PostgreSQL did not start:\n" << log.rdbuf() << "\n";
  stop(dir);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "start" && mode != "stop") {
    std::cerr << "usage: mobisync_test_pg_server start|stop DIR\n";
    return 64;
  }
  return mode == "start" ? start(argv[2]) : stop(argv[2]);
}
