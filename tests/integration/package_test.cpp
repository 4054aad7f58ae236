// SPDX-License-Identifier: Apache-2.0
// Packaging: `cmake --install` lays out a prefix that runs; `cpack -G DEB` makes mobisync and
// mobisync-dev, whose contents are what operations.md promises and which lintian passes without
// an error or a warning; as root they install with dpkg, the installed /usr/bin/mobisync syncs
// as the mobisync user into /var/lib/mobisync, mobisync-dev installs plugins where that host
// looks, and a purge leaves nothing behind. Unit files pass a strict check and
// `systemd-analyze verify`.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <regex>

#include "deb_packages.hpp"
#include "package_checks.hpp"
#include "package_install_checks.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"
#include "unit_file_check.hpp"

namespace fs = std::filesystem;
using namespace mobisync::test;

TEST_SUITE("integration.package") {
  TEST_CASE("the unit check refuses broken unit files") {
    const std::string good = slurp(fs::path(sourceDir()) / "packaging/systemd/mobisync.service");
    const fs::path host = "/";
    auto without_binary = [&](std::string text) {
      // Point ExecStart at a program every host has, so only the edit under test can fail.
      text = std::regex_replace(text, std::regex("/usr/bin/mobisync"), "/bin/sh");
      return checkUnit("mobisync.service", text, host);
    };
    CHECK(without_binary(good).empty());
    const std::pair<std::string, std::string> edits[] = {
        {"Type=notify", "Type=notfy"},
        {"[Service]", "[Servce]"},
        {"NoNewPrivileges=yes", "NoNewPrivileges=perhaps"},
        {"ProtectSystem=strict", "ProtectSystm=strict"},
        {"TimeoutStopSec=60", "TimeoutStopSec=a minute"},
        {"WatchdogSec=60s", "WatchdogSec=1 minute"},
        {"#LoadCredential=mobivate-password:/etc", "LoadCredential=mobivate password:etc"},
        {"ExecReload=/bin/kill", "ExecReload=kill"},
        {"Description=mobisync contact sync daemon", "Description="},
        {"WantedBy=multi-user.target", "WantedBy=multi user"},
        {"Restart=on-failure", "Restart = on-failure"},
        {"ExecStart=/usr/bin/mobisync run", "ExecStart=/usr/bin/mobisync-missing run"},
    };
    for (const auto& [from, to] : edits) {
      std::string text = good;
      REQUIRE_MESSAGE(text.find(from) != std::string::npos, from);
      text.replace(text.find(from), from.size(), to);
      if (from.find("/usr/bin/mobisync") == std::string::npos) {
        CHECK_MESSAGE(!without_binary(text).empty(), to);
      } else {
        CHECK_MESSAGE(!checkUnit("mobisync.service", text, host).empty(), to);
      }
    }
  }

  TEST_CASE("cmake --install lays out a prefix that runs as is") {
    TempDir dir;
    const fs::path prefix = dir.file("prefix");
    auto install = runProcess({MOBISYNC_CMAKE_COMMAND, "--install", MOBISYNC_BUILD_DIR,
                               "--prefix", prefix.string()},
                              {}, std::chrono::seconds(300));
    REQUIRE_MESSAGE(install.exit_code == 0, (install.out + install.err));
    const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
    for (const std::string& f : std::vector<std::string>{
             "bin/mobisync", "bin/mobivate-sim",
             libdir + "/mobisync/plugins/mobisync_plugin_csv.so", "etc/mobisync/mobisync.toml",
             "lib/systemd/system/mobisync.service", "lib/systemd/system/mobisync@.service",
             "lib/systemd/system/mobisync@.timer", "share/doc/mobisync/operations.md",
             "share/doc/mobisync/copyright", "share/doc/mobisync/changelog.gz",
             "include/mobisync/plugin/plugin.hpp", libdir + "/cmake/mobisync/mobisyncConfig.cmake"}) {
      CHECK_MESSAGE(fs::exists(prefix / f), f);
    }
    auto list = runProcess({(prefix / "bin/mobisync").string(), "plugins", "list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find((prefix / libdir / "mobisync/plugins/mobisync_plugin_csv.so").string()) !=
          std::string::npos);
  }

  TEST_CASE("the debs pass lintian, install, sync as the mobisync user and purge to nothing") {
    TempDir dir;
    const DebPackages debs = buildDebs(dir.file("out"));
    checkHostPackage(debs.host);
    checkDevPackage(debs.dev);
    checkHardened(debs.host, dir.file("hardening"));
    checkUnitsInScratchRoot(debs.host, dir.file("root"));

    if (!haveProgram("lintian")) {
      MESSAGE("[skipped] lintian is not installed (scripts/setup installs it)");
      return;
    }
    // --fail-on none: the verdict is ours, from the E: and W: lines; the output goes to the log.
    auto lint = runProcess({"lintian", "--fail-on", "none", "--display-info", debs.host, debs.dev},
                           {}, std::chrono::seconds(600));
    MESSAGE("lintian " << debs.host << " " << debs.dev << ":\n" << lint.out << lint.err);
    REQUIRE_MESSAGE(lint.exit_code == 0, lint.err);
    CHECK_MESSAGE(lintianComplaints(lint.out).empty(), lint.out);

    if (::geteuid() != 0) {
      MESSAGE("[skipped] not root: the packages are not installed on this host");
      return;
    }
    REQUIRE_MESSAGE(!packageInstalled("mobisync"),
                    "mobisync is installed on this host: the test would replace it");
    InstalledDebs installed(debs);
    REQUIRE_MESSAGE(installed.installResult().exit_code == 0,
                    (installed.installResult().out + installed.installResult().err));
    checkInstalledLayout();
    enableUnitsAsAnOperatorWould();
    syncWithInstalledHost(dir);
    checkDevInstallsWhereHostLooks(dir);

    auto purge = installed.purge();
    REQUIRE_MESSAGE(purge.exit_code == 0, (purge.out + purge.err));
    const auto left = leftoversAfterPurge();
    CHECK_MESSAGE(left.empty(), joined(left));
  }
}
