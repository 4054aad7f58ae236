// SPDX-License-Identifier: Apache-2.0
// InstalledSdk: this build tree installed into a temporary prefix, and what sdk_test.cpp compiles
// and builds against that prefix alone. Uses the integration target's MOBISYNC_* definitions.
#pragma once

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace mobisync::test::sdk {

inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, separator);) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

/// This build tree installed with `cmake --install` into a fresh prefix, and projects built
/// against that prefix alone, with the compiler and generator of this build.
class InstalledSdk {
 public:
  InstalledSdk() : prefix_(dir_.file("prefix")) {
    // The host refuses group-writable plugins; what the examples' builds write must not be.
    ::umask(022);
    ProcessResult r =
        runProcess({MOBISYNC_CMAKE_COMMAND, "--install", MOBISYNC_BUILD_DIR, "--prefix", prefix_});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }

  const std::string& prefix() const { return prefix_; }
  std::string host() const { return prefix_ + "/bin/mobisync"; }
  std::string pluginDir() const {
    return prefix_ + "/" + MOBISYNC_INSTALL_LIBDIR + "/mobisync/plugins";
  }
  TempDir& dir() { return dir_; }

  /// Configures and builds examples/<name> in a fresh directory; returns that directory.
  std::string buildExample(const std::string& name) {
    const std::string build = dir_.file("build-" + name);
    ProcessResult configure = runProcess(
        {MOBISYNC_CMAKE_COMMAND, "-S", mobisync::test::sourceDir() + "/examples/" + name, "-B",
         build, "-G", MOBISYNC_CMAKE_GENERATOR, "-DCMAKE_BUILD_TYPE=Debug",
         "-DCMAKE_CXX_COMPILER=" MOBISYNC_CXX_COMPILER, "-DCMAKE_PREFIX_PATH=" + prefix_,
         // Only the prefix: never a package registry entry that could point at a build tree.
         "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
         "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Wshadow -Werror"});
    INFO(configure.out << configure.err);
    REQUIRE(configure.exit_code == 0);
    ProcessResult make = runProcess({MOBISYNC_CMAKE_COMMAND, "--build", build, "-j", "2"});
    INFO(make.out << make.err);
    REQUIRE(make.exit_code == 0);
    CHECK(slurp(build + "/CMakeCache.txt")
              .find("mobisync_DIR:PATH=" + prefix_ + "/" + MOBISYNC_INSTALL_LIBDIR +
                    "/cmake/mobisync\n") != std::string::npos);
    return build;
  }

 private:
  TempDir dir_;
  std::string prefix_;
};

/// The headers `cxx -H` reports for a TU, one path per line.
inline std::vector<std::string> includedHeaders(const std::string& compiler_stderr) {
  std::vector<std::string> out;
  for (const auto& line : split(compiler_stderr, '\n')) {
    auto start = line.find_first_not_of('.');
    if (start > 0 && start != std::string::npos && line[start] == ' ') {
      out.push_back(line.substr(start + 1));
    }
  }
  return out;
}

/// Compiles `tu` against the installed headers and the SDK's dependencies only.
inline ProcessResult compileAgainstPrefix(const std::string& prefix, const std::string& tu) {
  std::vector<std::string> argv{MOBISYNC_CXX_COMPILER,
                                "-std=c++20",
                                "-fsyntax-only",
                                "-H",
                                "-Wall",
                                "-Wextra",
                                "-Wpedantic",
                                "-Wshadow",
                                "-Werror",
                                "-DBOOST_DLL_USE_STD_FS",
                                "-I",
                                prefix + "/include"};
  for (const auto& d : split(MOBISYNC_SDK_DEPENDENCY_INCLUDES, '|')) {
    argv.push_back("-isystem");
    argv.push_back(d);
  }
  argv.push_back(tu);
  return runProcess(argv);
}

inline bool mentions(const std::vector<std::string>& headers, const std::string& part) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const std::string& h) { return h.find(part) != std::string::npos; });
}

inline bool mentionsToml(const std::vector<std::string>& headers) {
  return mentions(headers, "toml");
}

}  // namespace mobisync::test::sdk
