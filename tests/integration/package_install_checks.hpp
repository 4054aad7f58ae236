// SPDX-License-Identifier: Apache-2.0
// What package_test.cpp checks on this host once the packages are installed with dpkg (as root):
// the user and state directory postinst made, a real sync by /usr/bin/mobisync as that user,
// mobisync-dev's plugin directory, and what a purge leaves (nothing of mobisync).
#pragma once

#include <doctest/doctest.h>

#include <pwd.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "deb_packages.hpp"
#include "package_checks.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// postinst made a system user without a login and its state directory, mode 0750.
inline void checkInstalledLayout() {
  const passwd* user = ::getpwnam("mobisync");
  REQUIRE_MESSAGE(user != nullptr, "postinst made no mobisync user");
  CHECK(user->pw_uid < 1000);  // a system account
  CHECK(std::string(user->pw_shell).find("nologin") != std::string::npos);
  CHECK(std::string(user->pw_dir) == "/var/lib/mobisync");
  struct stat st {};
  REQUIRE(::stat("/var/lib/mobisync", &st) == 0);
  CHECK(st.st_uid == user->pw_uid);
  CHECK((st.st_mode & 07777) == 0750);
  CHECK(std::filesystem::exists("/usr/bin/mobisync"));
  CHECK(!std::filesystem::exists("/usr/bin/mobivate-sim"));
}

/// `systemctl enable` of the daemon and of a job's timer, as an operator would (it works without
/// a running systemd: it only writes links). Purge must remove these links too.
inline void enableUnitsAsAnOperatorWould() {
  for (const char* unit : {"mobisync.service", "mobisync@customers.timer"}) {
    auto enable = runProcess({"systemctl", "enable", unit});
    REQUIRE_MESSAGE(enable.exit_code == 0, (enable.out + enable.err));
  }
  CHECK(std::filesystem::is_symlink("/etc/systemd/system/multi-user.target.wants/mobisync.service"));
  CHECK(std::filesystem::is_symlink(
      "/etc/systemd/system/timers.target.wants/mobisync@customers.timer"));
}

/// The installed host, run as the mobisync user with the installed config (only the provider,
/// its user name and the CSV changed), syncs two contacts to the simulator and writes its state
/// where the config says: /var/lib/mobisync.
inline void syncWithInstalledHost(TempDir& dir) {
  SimulatorProcess sim;
  std::string config = slurp("/etc/mobisync/mobisync.toml");
  REQUIRE(config.find("path = \"/var/lib/mobisync/state.db\"") != std::string::npos);
  config = std::regex_replace(config, std::regex("base_url = \"[^\"]*\""),
                              "base_url = \"" + sim.baseUrl() + "\"");
  config = std::regex_replace(config, std::regex("username = \"[^\"]*\""), "username = \"demo\"");
  config = std::regex_replace(config, std::regex("path = \"/etc/mobisync/contacts.csv\""),
                              "path = \"" + dir.file("contacts.csv") + "\"");
  dir.write("mobisync.toml", config);
  dir.write("contacts.csv",
            "msisdn,name,reference,applications\n"
            "07930 000000,Ann Smith,CRM-1000,contacts:42\n"
            "+44 7930 000 137,Bob Khan,CRM-1001,contacts:42\n");
  // The mobisync user reads them through the test's private directory.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all |
                                               std::filesystem::perms::group_read |
                                               std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
  auto sync = runProcess({"setpriv", "--reuid=mobisync", "--regid=mobisync", "--init-groups",
                          "/usr/bin/mobisync", "sync", "customers", "--progress", "never", "-c",
                          dir.file("mobisync.toml")},
                         {{"MOBIVATE_PASSWORD", "demo-secret"}});
  INFO(sync.out << sync.err);
  REQUIRE(sync.exit_code == 0);
  CHECK(sim.subscriptions().size() == 2);
  struct stat st {};
  REQUIRE(::stat("/var/lib/mobisync/state.db", &st) == 0);
  CHECK(st.st_uid == ::getpwnam("mobisync")->pw_uid);
}

/// A plugin project built against the installed mobisync-dev with prefix /usr installs into the
/// directory the installed host loads plugins from (not lib/<triplet>, GNUInstallDirs' libdir).
inline void checkDevInstallsWhereHostLooks(TempDir& dir) {
  auto list = runProcess({"/usr/bin/mobisync", "plugins", "list"});
  std::smatch found;
  REQUIRE_MESSAGE(std::regex_search(list.out, found,
                                    std::regex("(/usr/\\S+)/mobisync_plugin_csv\\.so")),
                  list.out);
  const std::string host_dir = found[1];
  dir.write("probe/CMakeLists.txt",
            "cmake_minimum_required(VERSION 3.21)\nproject(probe CXX)\n"
            "find_package(mobisync 1 REQUIRED)\nmobisync_add_plugin(probe SOURCES probe.cpp)\n"
            "file(WRITE ${CMAKE_BINARY_DIR}/plugin_dir.txt \"${MOBISYNC_PLUGIN_DIR}\")\n");
  dir.write("probe/probe.cpp", "");
  auto configure = runProcess({MOBISYNC_CMAKE_COMMAND, "-S", dir.file("probe"), "-B",
                               dir.file("probe-build"), "-DCMAKE_INSTALL_PREFIX=/usr",
                               "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"});
  REQUIRE_MESSAGE(configure.exit_code == 0, (configure.out + configure.err));
  CHECK(slurp(dir.file("probe-build/plugin_dir.txt")) == host_dir);
  const std::string install_script = slurp(dir.file("probe-build/cmake_install.cmake"));
  CHECK_MESSAGE(install_script.find("\"${CMAKE_INSTALL_PREFIX}/" + host_dir.substr(5) + "\"") !=
                    std::string::npos,
                install_script);
}

/// Everything of mobisync a purge should have removed and did not.
inline std::vector<std::string> leftoversAfterPurge() {
  namespace fs = std::filesystem;
  std::vector<std::string> left;
  for (const char* path : {"/etc/mobisync", "/var/lib/mobisync", "/usr/bin/mobisync",
                           "/usr/include/mobisync", "/usr/lib/mobisync",
                           "/usr/share/doc/mobisync", "/usr/share/doc/mobisync-dev"}) {
    if (fs::exists(fs::symlink_status(path))) left.push_back(path);
  }
  for (const char* package : {"mobisync", "mobisync-dev"}) {
    auto status = runProcess({"dpkg-query", "-W", "-f=${db:Status-Abbrev}", package});
    if (status.exit_code == 0 && status.out.rfind("un", 0) != 0 && status.out.rfind("pn", 0) != 0)
      left.push_back("dpkg still knows " + std::string(package) + ": " + status.out);
  }
  // Enable links (dangling or not) and deb-systemd-helper's records of them.
  for (const char* root : {"/etc/systemd/system", "/var/lib/systemd"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().filename().string().find("mobisync") != std::string::npos) {
        left.push_back(it->path().string());
      }
    }
  }
  // Files of the mobisync user anywhere it could have written.
  if (const passwd* user = ::getpwnam("mobisync")) {
    auto owned = runProcess({"find", "/etc", "/var", "/run", "/tmp", "-xdev", "-uid",
                             std::to_string(user->pw_uid)});
    std::istringstream lines(owned.out);
    for (std::string line; std::getline(lines, line);) left.push_back("owned by mobisync: " + line);
  }
  return left;
}

}  // namespace mobisync::test
