// SPDX-License-Identifier: Apache-2.0
// The test-support helpers every integration test relies on: runProcess, ChildProcess, TempDir.
#include <doctest/doctest.h>
#include <signal.h>
#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using mobisync::test::ChildProcess;
using mobisync::test::runProcess;
using mobisync::test::TempDir;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_SUITE("tools.support") {
  TEST_CASE("runProcess returns the exit code and both outputs") {
    auto r = runProcess({"sh", "-c", "printf out; printf err >&2; exit 3"});
    CHECK(r.exit_code == 3);
    CHECK(r.out == "out");
    CHECK(r.err == "err");
  }

  TEST_CASE("runProcess reports death by signal as minus the signal number") {
    auto r = runProcess({"sh", "-c", "kill -TERM $$"});
    CHECK(r.exit_code == -SIGTERM);
  }

  TEST_CASE("runProcess drains large stdout and stderr without deadlock") {
    // stderr first: a reader that waited on stdout alone would block the child forever.
    auto r = runProcess({"sh", "-c", "yes err | head -c 3000000 >&2; yes out | head -c 3000000"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.size() == 3000000);
    CHECK(r.err.size() == 3000000);
    CHECK(r.out.substr(0, 8) == "out\nout\n");
  }

  TEST_CASE("runProcess feeds stdin larger than a pipe buffer while reading output") {
    std::string input;
    for (int i = 0; i < 100000; ++i) {
      input += "line " + std::to_string(i) + "\n";
    }
    auto r = runProcess({"cat"}, {}, std::chrono::seconds(30), input);
    CHECK(r.exit_code == 0);
    CHECK(r.out == input);

    auto no_input = runProcess({"cat"});
    CHECK(no_input.exit_code == 0);
    CHECK(no_input.out.empty());
  }

  TEST_CASE("runProcess survives a program that does not read its stdin") {
    auto r = runProcess({"true"}, {}, std::chrono::seconds(30), std::string(1 << 20, 'x'));
    CHECK(r.exit_code == 0);
  }

  TEST_CASE("runProcess adds extra_env to the inherited environment") {
    ::setenv("MOBISYNC_TEST_INHERITED", "kept", 1);
    auto r = runProcess({"sh", "-c", "printf '%s|%s' \"$MOBISYNC_TEST_INHERITED\" \"$EXTRA\""},
                        {{"EXTRA", "a b=c"}});
    ::unsetenv("MOBISYNC_TEST_INHERITED");
    CHECK(r.out == "kept|a b=c");

    auto replaced = runProcess({"sh", "-c", "printf %s \"$HOME\""}, {{"HOME", "/elsewhere"}});
    CHECK(replaced.out == "/elsewhere");
  }

  TEST_CASE("runProcess kills the whole process group on timeout") {
    auto start = std::chrono::steady_clock::now();
    // The background sleep keeps the output pipe open; only a group kill ends it in time.
    auto r = runProcess({"sh", "-c", "sleep 30 & sleep 30"}, {}, std::chrono::seconds(1));
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.exit_code == -1);
    CHECK(r.err.find("timed out after 1 s") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds(5));
  }

  TEST_CASE("runProcess throws when the program cannot be started") {
    CHECK_THROWS_WITH_AS(runProcess({"/nonexistent/program"}),
                         "cannot start /nonexistent/program: No such file or directory",
                         std::runtime_error);
    CHECK_THROWS_AS(runProcess({}), std::runtime_error);
  }

  TEST_CASE("ChildProcess runs in the background and reports how it ended") {
    ChildProcess sleeper({"sleep", "30"});
    CHECK(sleeper.pid() > 0);
    CHECK(sleeper.running());
    CHECK_FALSE(sleeper.waitFor(std::chrono::milliseconds(50)).has_value());
    sleeper.kill(SIGTERM);
    CHECK(sleeper.wait() == -SIGTERM);
    CHECK_FALSE(sleeper.running());
    CHECK(sleeper.stdoutPath().empty());
  }

  TEST_CASE("ChildProcess writes output files in the given directory without clobbering") {
    TempDir dir;
    ChildProcess first({"sh", "-c", "echo hi; echo oops >&2; exit 5"}, {{"X", "1"}}, dir.path());
    ChildProcess second({"sh", "-c", "echo \"x=$X\""}, {{"X", "2"}}, dir.path());
    CHECK(first.wait() == 5);
    CHECK(second.wait() == 0);
    CHECK(first.stdoutPath() == dir.file("sh.stdout"));
    CHECK(second.stdoutPath() == dir.file("sh-2.stdout"));
    CHECK(first.readStdout() == "hi\n");
    CHECK(first.readStderr() == "oops\n");
    CHECK(second.readStdout() == "x=2\n");
  }

  TEST_CASE("ChildProcess kills a still running program when destroyed") {
    pid_t pid = 0;
    {
      ChildProcess sleeper({"sleep", "30"});
      pid = sleeper.pid();
      REQUIRE(::kill(pid, 0) == 0);
    }
    errno = 0;
    CHECK(::kill(pid, 0) == -1);
    CHECK(errno == ESRCH);
  }

  TEST_CASE("TempDir creates a private directory and removes it with its content") {
    std::string path;
    {
      TempDir dir;
      path = dir.path();
      CHECK(fs::is_directory(path));
      CHECK(fs::path(path).is_absolute());
      CHECK(dir.file("a.txt") == path + "/a.txt");
      CHECK(dir.write("a.txt", "alpha") == path + "/a.txt");
      CHECK(readFile(dir.file("a.txt")) == "alpha");
      dir.write("a.txt", "beta");
      CHECK(readFile(dir.file("a.txt")) == "beta");
      dir.write("nested/deeper/b.bin", std::string("x\0y", 3));
      CHECK(fs::file_size(dir.file("nested/deeper/b.bin")) == 3);
      TempDir other;
      CHECK(other.path() != path);
    }
    CHECK_FALSE(fs::exists(path));
  }

  TEST_CASE("TempDir honours TMPDIR") {
    TempDir parent;
    const char* old = std::getenv("TMPDIR");
    std::string saved = old != nullptr ? old : "";
    ::setenv("TMPDIR", parent.path().c_str(), 1);
    std::string inside;
    {
      TempDir child;
      inside = child.path();
    }
    if (old != nullptr) {
      ::setenv("TMPDIR", saved.c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
    CHECK(inside.rfind(parent.path() + "/mobisync-test-", 0) == 0);
  }
}
