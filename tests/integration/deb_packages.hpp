// SPDX-License-Identifier: Apache-2.0
// The Debian packages of this build tree for package_test.cpp: built with cpack, read with
// dpkg-deb, judged by lintian, and installed on this host with dpkg (root only) by a guard that
// purges them again however the test ends.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace mobisync::test {

/// The two packages `cpack -G DEB` makes of this build tree.
struct DebPackages {
  std::string host;  ///< mobisync_<version>_<arch>.deb
  std::string dev;   ///< mobisync-dev_<version>_<arch>.deb
};

inline bool haveProgram(const std::string& name) {
  return runProcess({"sh", "-c", "command -v " + name}).exit_code == 0;
}

/// Runs cpack on this build tree into `out`. REQUIREs success and both packages.
inline DebPackages buildDebs(const std::filesystem::path& out) {
  const std::string build = MOBISYNC_BUILD_DIR;
  auto pack = runProcess({"cpack", "-G", "DEB", "--config", build + "/CPackConfig.cmake", "-B",
                          out.string()},
                         {}, std::chrono::seconds(600));
  REQUIRE_MESSAGE(pack.exit_code == 0, (pack.out + pack.err));
  DebPackages debs;
  const std::string version = MOBISYNC_VERSION;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".deb") continue;
    if (name.rfind("mobisync_" + version + "_", 0) == 0) debs.host = e.path().string();
    if (name.rfind("mobisync-dev_" + version + "_", 0) == 0) debs.dev = e.path().string();
  }
  REQUIRE_MESSAGE(!debs.host.empty(), pack.out);
  REQUIRE_MESSAGE(!debs.dev.empty(), pack.out);
  return debs;
}

/// The paths a package holds, as dpkg-deb lists them ("./usr/bin/mobisync").
inline std::set<std::string> debFiles(const std::string& deb) {
  auto contents = runProcess({"dpkg-deb", "--contents", deb});
  REQUIRE(contents.exit_code == 0);
  std::set<std::string> files;
  std::istringstream lines(contents.out);
  for (std::string line; std::getline(lines, line);) {
    auto at = line.find(" ./");
    if (at == std::string::npos) continue;
    std::string path = line.substr(at + 1);
    if (auto arrow = path.find(" -> "); arrow != std::string::npos) path.resize(arrow);
    files.insert(path);
  }
  return files;
}

/// One field of a package's control file, as dpkg-deb prints it (continuation lines included).
inline std::string debField(const std::string& deb, const std::string& field) {
  return runProcess({"dpkg-deb", "--field", deb, field}).out;
}

/// lintian's lines that are errors or warnings (it prints "E: pkg: tag ..." and "W: ...").
inline std::vector<std::string> lintianComplaints(const std::string& output) {
  std::vector<std::string> complaints;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("E: ", 0) == 0 || line.rfind("W: ", 0) == 0) complaints.push_back(line);
  }
  return complaints;
}

inline bool packageInstalled(const std::string& package) {
  auto status = runProcess({"dpkg-query", "-W", "-f=${Status}", package});
  return status.exit_code == 0 && status.out.find("install ok installed") != std::string::npos;
}

/// Installs both packages with `dpkg -i` on this host; purges them on destruction if a failed
/// check left them installed. Needs root.
class InstalledDebs {
 public:
  explicit InstalledDebs(const DebPackages& debs) {
    install_ = runProcess({"dpkg", "-i", debs.host, debs.dev}, {}, std::chrono::seconds(300));
  }
  ~InstalledDebs() {
    if (packageInstalled("mobisync-dev") || packageInstalled("mobisync")) purge();
  }
  InstalledDebs(const InstalledDebs&) = delete;
  InstalledDebs& operator=(const InstalledDebs&) = delete;

  const ProcessResult& installResult() const { return install_; }

  ProcessResult purge() {
    return runProcess({"dpkg", "--purge", "mobisync-dev", "mobisync"}, {},
                      std::chrono::seconds(300));
  }

 private:
  ProcessResult install_;
};

}  // namespace mobisync::test
