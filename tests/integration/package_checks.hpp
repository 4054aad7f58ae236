// SPDX-License-Identifier: Apache-2.0
// What package_test.cpp checks in the built .deb files without installing them: contents and
// control data per package, the hardening of the binaries, and the units in a scratch root.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "deb_packages.hpp"
#include "support/process.hpp"
#include "unit_file_check.hpp"

namespace mobisync::test {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// mobisync: the program, plugins, units, conffile, docs; no simulator, no SDK, nothing under
/// /usr/local or /usr/etc; control data a Debian maintainer would write.
inline void checkHostPackage(const std::string& deb) {
  const auto files = debFiles(deb);
  const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
  for (const std::string& expected : std::vector<std::string>{
           "./usr/bin/mobisync", "./usr/" + libdir + "/mobisync/plugins/mobisync_plugin_csv.so",
           "./etc/mobisync/mobisync.toml", "./usr/lib/systemd/system/mobisync.service",
           "./usr/lib/systemd/system/mobisync@.service",
           "./usr/lib/systemd/system/mobisync@.timer", "./usr/share/doc/mobisync/operations.md",
           "./usr/share/doc/mobisync/reference.toml", "./usr/share/doc/mobisync/copyright",
           "./usr/share/doc/mobisync/changelog.gz"}) {
    CHECK_MESSAGE(files.count(expected) == 1, expected);
  }
  for (const auto& f : files) {
    CHECK_MESSAGE(f.rfind("./usr/etc", 0) != 0, f);
    CHECK_MESSAGE(f.rfind("./usr/local", 0) != 0, f);
    CHECK_MESSAGE(f.rfind("./usr/include", 0) != 0, f);  // the SDK is mobisync-dev's
    CHECK_MESSAGE(f.find("mobivate-sim") == std::string::npos, f);  // a test peer, not packaged
  }
  auto conffiles = runProcess({"dpkg-deb", "--info", deb, "conffiles"});
  CHECK(conffiles.out == "/etc/mobisync/mobisync.toml\n");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    auto text = runProcess({"dpkg-deb", "--info", deb, script}).out;
    CHECK_MESSAGE(text.find("deb-systemd-") != std::string::npos, script);
  }
  CHECK(runProcess({"dpkg-deb", "--info", deb, "postinst"}).out.find("adduser --system") !=
        std::string::npos);
  const std::string maintainer = debField(deb, "Maintainer");
  CHECK(maintainer.find("@") != std::string::npos);
  CHECK(maintainer.find("localhost") == std::string::npos);
  const std::string depends = debField(deb, "Depends");
  CHECK(depends.find("libpoco") != std::string::npos);  // shlibdeps found the libraries
  CHECK(depends.find("adduser") != std::string::npos);
  const std::string recommends = debField(deb, "Recommends");
  CHECK(recommends.find("sqlite3") != std::string::npos);
  CHECK(recommends.find("odbc-postgresql") != std::string::npos);
  // A synopsis and a long description of several lines.
  const std::string description = debField(deb, "Description");
  CHECK(std::count(description.begin(), description.end(), '\n') >= 5);
  // The changelog's newest entry is this version (a VERSION bump needs an entry).
  auto changelog = runProcess(
      {"sh", "-c", "dpkg-deb --fsys-tarfile '" + deb +
                       "' | tar -xOf - ./usr/share/doc/mobisync/changelog.gz | gzip -dc | head -1"});
  CHECK(changelog.out.rfind(std::string("mobisync (") + MOBISYNC_VERSION + ")", 0) == 0);
}

/// mobisync-dev: the SDK headers and CMake package, depending on what they include.
inline void checkDevPackage(const std::string& deb) {
  const auto files = debFiles(deb);
  const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
  for (const std::string& expected : std::vector<std::string>{
           "./usr/include/mobisync/plugin/plugin.hpp", "./usr/include/mobisync/build_info.hpp",
           "./usr/" + libdir + "/cmake/mobisync/mobisyncConfig.cmake",
           "./usr/share/doc/mobisync-dev/copyright", "./usr/share/doc/mobisync-dev/changelog.gz"}) {
    CHECK_MESSAGE(files.count(expected) == 1, expected);
  }
  for (const auto& f : files) {
    CHECK_MESSAGE(f.rfind("./usr/bin", 0) != 0, f);
    CHECK_MESSAGE(f.find("/mobisync/plugins/") == std::string::npos, f);
  }
  const std::string depends = debField(deb, "Depends");
  CHECK(depends.find("libboost-dev") != std::string::npos);
  CHECK(depends.find("libpoco-dev") != std::string::npos);
  CHECK(depends.find(std::string("mobisync (= ") + MOBISYNC_VERSION + ")") != std::string::npos);
}

/// The packaged binary and a plugin carry dpkg-buildflags' hardening: PIE, full RELRO
/// (GNU_RELRO and BIND_NOW), the stack protector and fortified libc calls.
inline void checkHardened(const std::string& deb, const std::filesystem::path& root) {
  REQUIRE(runProcess({"dpkg-deb", "-x", deb, root.string()}).exit_code == 0);
  const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
  for (const std::string& elf : {std::string("usr/bin/mobisync"),
                                 "usr/" + libdir + "/mobisync/plugins/mobisync_plugin_csv.so"}) {
    const std::string path = (root / elf).string();
    auto header = runProcess({"readelf", "-h", "-l", "-d", "-W", path});
    REQUIRE(header.exit_code == 0);
    CHECK_MESSAGE(header.out.find("DYN (") != std::string::npos, elf);  // PIE or shared object
    CHECK_MESSAGE(header.out.find("GNU_RELRO") != std::string::npos, elf);
    CHECK_MESSAGE(std::regex_search(header.out, std::regex("BIND_NOW|FLAGS_1.*NOW")), elf);
    auto symbols = runProcess({"readelf", "--dyn-syms", "-W", path});
    CHECK_MESSAGE(symbols.out.find("__stack_chk_fail") != std::string::npos, elf);
    if (elf == "usr/bin/mobisync") {
      CHECK_MESSAGE(std::regex_search(symbols.out, std::regex("__[a-z]+_chk@")), elf);
    }
  }
}

/// Extracted into a scratch root, the program runs and finds its plugins, the packaged config
/// validates, and the units pass the strict check and `systemd-analyze verify`.
inline void checkUnitsInScratchRoot(const std::string& deb, const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  REQUIRE(runProcess({"dpkg-deb", "-x", deb, root.string()}).exit_code == 0);
  const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
  auto list = runProcess({(root / "usr/bin/mobisync").string(), "plugins", "list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.find((root / ("usr/" + libdir + "/mobisync/plugins/mobisync_plugin_csv.so"))
                          .lexically_normal()
                          .string()) != std::string::npos);
  auto check = runProcess({(root / "usr/bin/mobisync").string(), "check", "-c",
                           (root / "etc/mobisync/mobisync.toml").string()},
                          {{"MOBIVATE_PASSWORD", "x"}});
  CHECK_MESSAGE(check.exit_code == 0, (check.out + check.err));
  for (const char* unit : kUnits) {
    const fs::path path = root / "usr/lib/systemd/system" / unit;
    CHECK_MESSAGE(checkUnit(unit, slurp(path), root).empty(),
                  joined(checkUnit(unit, slurp(path), root)));
  }
  if (!haveProgram("systemd-analyze")) {
    MESSAGE("systemd-analyze not installed: the strict unit check above stands alone");
    return;
  }
  // verify resolves units and programs inside --root, so give it the host's targets and kill.
  const fs::path unit_dir = root / "usr/lib/systemd/system";
  for (const auto& e : fs::directory_iterator("/lib/systemd/system")) {
    std::error_code ec;
    if (e.path().extension() == ".target" && fs::is_regular_file(e.path(), ec)) {
      fs::copy_file(e.path(), unit_dir / e.path().filename(), fs::copy_options::skip_existing);
    }
  }
  fs::create_directories(root / "bin");
  fs::copy_file("/bin/kill", root / "bin/kill", fs::copy_options::skip_existing);
  auto verify = runProcess({"systemd-analyze", "verify", "--root=" + root.string(),
                            "/usr/lib/systemd/system/mobisync.service",
                            "/usr/lib/systemd/system/mobisync@people.service",
                            "/usr/lib/systemd/system/mobisync@people.timer"});
  CHECK_MESSAGE(verify.exit_code == 0, (verify.out + verify.err));
  // verify only warns about a value it cannot parse; any output counts as a failure here.
  CHECK_MESSAGE(verify.out + verify.err == "", (verify.out + verify.err));
}

}  // namespace mobisync::test
