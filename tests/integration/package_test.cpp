// SPDX-License-Identifier: Apache-2.0
// Packaging: `cpack -G DEB` builds the .deb, its contents are what operations.md promises, it
// extracts into a scratch root where the program runs and finds its plugins, and the systemd
// units pass `systemd-analyze verify` there and a strict unit-file check of their own.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::runProcess;
using mobisync::test::TempDir;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Checks a unit file strictly: known sections, known keys per section, no stray syntax, typed
/// values, required keys; `root` is where Exec* programs must exist. Returns the problems.
std::vector<std::string> checkUnit(const std::string& name, const std::string& text,
                                   const fs::path& root) {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"Unit", {"Description", "Documentation", "Wants", "After", "Requires", "Before"}},
      {"Service",
       {"Type", "ExecStart", "ExecReload", "KillSignal", "TimeoutStopSec", "Restart",
        "RestartSec", "RestartPreventExitStatus", "DynamicUser", "User", "Group",
        "StateDirectory", "StateDirectoryMode", "WorkingDirectory", "ConfigurationDirectory",
        "EnvironmentFile", "UMask", "NoNewPrivileges", "ProtectSystem", "ProtectHome",
        "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules",
        "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname",
        "ProtectProc", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime",
        "RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute",
        "SystemCallArchitectures", "SystemCallFilter", "CapabilityBoundingSet",
        "AmbientCapabilities", "WatchdogSec", "LoadCredential"}},
      {"Timer", {"OnCalendar", "RandomizedDelaySec", "Persistent", "Unit"}},
      {"Install", {"WantedBy"}},
  };
  static const std::set<std::string> kBooleans = {
      "DynamicUser", "NoNewPrivileges", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
      "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock",
      "ProtectHostname", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID",
      "LockPersonality", "MemoryDenyWriteExecute", "Persistent"};
  static const std::set<std::string> kMayBeEmpty = {"CapabilityBoundingSet", "AmbientCapabilities"};
  static const std::map<std::string, std::regex> kValues = {
      {"Type", std::regex("simple|exec|forking|oneshot|dbus|notify|idle")},
      {"Restart", std::regex("no|on-success|on-failure|on-abnormal|on-watchdog|on-abort|always")},
      {"KillSignal", std::regex("SIG[A-Z]+")},
      {"TimeoutStopSec", std::regex("[0-9]+(ms|s|min|h)?")},
      {"RestartSec", std::regex("[0-9]+(ms|s|min|h)?")},
      {"WatchdogSec", std::regex("[0-9]+(ms|s|min|h)?")},
      {"RandomizedDelaySec", std::regex("[0-9]+(ms|s|min|h)?")},
      {"RestartPreventExitStatus", std::regex("[0-9]+( [0-9]+)*")},
      {"StateDirectoryMode", std::regex("0[0-7]{3}")},
      {"UMask", std::regex("0[0-7]{3}")},
      {"ProtectSystem", std::regex("yes|no|full|strict")},
      {"ProtectHome", std::regex("yes|no|read-only|tmpfs")},
      {"ProtectProc", std::regex("noaccess|invisible|ptraceable|default")},
      {"SystemCallArchitectures", std::regex("native")},
      {"RestrictAddressFamilies", std::regex("~?(AF_[A-Z0-9]+)( AF_[A-Z0-9]+)*")},
      {"SystemCallFilter", std::regex("~?@?[a-z-]+( @?[a-z-]+)*")},
      {"WantedBy", std::regex("[a-z-]+\\.target")},
      {"Wants", std::regex("[a-z-]+\\.target")},
      {"After", std::regex("[a-z-]+\\.target")},
      {"OnCalendar", std::regex("[*0-9a-zA-Z:/,.~ -]+")},
      {"Documentation", std::regex("(file|https?|man):\\S+")},
      {"StateDirectory", std::regex("[a-z][a-z0-9-]*")},
      {"ConfigurationDirectory", std::regex("[a-z][a-z0-9-]*")},
      {"WorkingDirectory", std::regex("/[A-Za-z0-9/_.-]*")},
      {"EnvironmentFile", std::regex("-?/[A-Za-z0-9/_.-]+")},
      {"User", std::regex("[a-z_][a-z0-9_-]*")},
      {"Group", std::regex("[a-z_][a-z0-9_-]*")},
  };
  std::vector<std::string> problems;
  std::map<std::string, std::set<std::string>> seen;
  std::string section;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  const bool is_template = name.find("@.") != std::string::npos;
  auto bad = [&](const std::string& why) {
    problems.push_back(name + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (!line.empty() && line.back() == '\\') {
      bad("continuation lines are not used");
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']') {
        bad("bad section header");
        continue;
      }
      section = line.substr(1, line.size() - 2);
      if (kKeys.count(section) == 0) bad("unknown section [" + section + "]");
      if (seen.count(section) != 0) bad("section [" + section + "] twice");
      seen[section];
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      bad("expected Key=Value");
      continue;
    }
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (section.empty()) {
      bad("key before any section");
      continue;
    }
    auto known = kKeys.find(section);
    if (known == kKeys.end() || known->second.count(key) == 0) {
      bad("unknown key " + key + " in [" + section + "]");
      continue;
    }
    seen[section].insert(key);
    if (value.empty()) {
      if (kMayBeEmpty.count(key) == 0) bad(key + " is empty");
      continue;
    }
    if (value.front() == ' ' || value.back() == ' ') bad(key + " has stray spaces");
    if (!is_template && value.find("%i") != std::string::npos) bad("%i outside a template");
    if (kBooleans.count(key) != 0 && !std::regex_match(value, std::regex("yes|no|true|false"))) {
      bad(key + " is not a boolean: " + value);
    }
    if (auto v = kValues.find(key); v != kValues.end() && !std::regex_match(value, v->second)) {
      bad(key + " has a bad value: " + value);
    }
    if (key.rfind("Exec", 0) == 0) {
      const std::string program = value.substr(0, value.find(' '));
      if (program.empty() || program.front() != '/') {
        bad(key + " needs an absolute program path");
      } else if (::access((root / program.substr(1)).c_str(), X_OK) != 0 &&
                 ::access(program.c_str(), X_OK) != 0) {
        bad(key + ": " + program + " is not an executable in the package or on the host");
      }
    }
    if (key == "Unit" && value != "mobisync@%i.service") bad("timer starts " + value);
  }
  if (seen["Unit"].count("Description") == 0) bad("[Unit] Description is missing");
  if (name.find(".service") != std::string::npos) {
    if (seen["Service"].count("ExecStart") == 0) bad("[Service] ExecStart is missing");
    if (seen["Service"].count("Type") == 0) bad("[Service] Type is missing");
  }
  if (name.find(".timer") != std::string::npos && seen["Timer"].count("OnCalendar") == 0) {
    bad("[Timer] OnCalendar is missing");
  }
  return problems;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

const char* kUnits[] = {"mobisync.service", "mobisync@.service", "mobisync@.timer"};

}  // namespace

TEST_SUITE("integration.package") {
  TEST_CASE("the unit check refuses broken unit files") {
    const std::string good = slurp(fs::path(mobisync::test::sourceDir()) /
                                   "packaging/systemd/mobisync.service");
    const fs::path host = "/";
    auto without_binary = [&](std::string text) {
      // Point ExecStart at a program every host has, so only the edit under test can fail.
      text = std::regex_replace(text, std::regex("/usr/bin/mobisync"), "/bin/sh");
      return checkUnit("mobisync.service", text, host);
    };
    CHECK(without_binary(good).empty());
    const std::pair<std::string, std::string> edits[] = {
        {"Type=notify", "Type=notfy"},
        {"WatchdogSec=60s", "WatchdogSec=a minute"},
        {"[Service]", "[Servce]"},
        {"NoNewPrivileges=yes", "NoNewPrivileges=perhaps"},
        {"ProtectSystem=strict", "ProtectSystm=strict"},
        {"TimeoutStopSec=60", "TimeoutStopSec=a minute"},
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
             "bin/mobisync", libdir + "/mobisync/plugins/mobisync_plugin_csv.so",
             "etc/mobisync/mobisync.toml", "etc/mobisync/mobisync.example.toml",
             "lib/systemd/system/mobisync.service", "lib/systemd/system/mobisync@.service",
             "lib/systemd/system/mobisync@.timer", "share/doc/mobisync/operations.md",
             "include/mobisync/plugin/plugin.hpp", libdir + "/cmake/mobisync/mobisyncConfig.cmake"}) {
      CHECK_MESSAGE(fs::exists(prefix / f), f);
    }
    auto list = runProcess({(prefix / "bin/mobisync").string(), "plugins", "list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find((prefix / libdir / "mobisync/plugins/mobisync_plugin_csv.so").string()) !=
          std::string::npos);
  }

  TEST_CASE("cpack builds a deb whose contents install run and verify in a scratch root") {
    TempDir dir;
    const std::string build = MOBISYNC_BUILD_DIR;
    auto pack = runProcess({"cpack", "-G", "DEB", "--config", build + "/CPackConfig.cmake", "-B",
                            dir.file("out")},
                           {}, std::chrono::seconds(600));
    REQUIRE_MESSAGE(pack.exit_code == 0, (pack.out + pack.err));
    std::string deb;
    for (const auto& e : fs::directory_iterator(dir.file("out"))) {
      if (e.path().extension() == ".deb") deb = e.path().string();
    }
    REQUIRE_MESSAGE(!deb.empty(), pack.out);
    const std::string deb_prefix = std::string("mobisync_") + MOBISYNC_VERSION + "_";
    CHECK(fs::path(deb).filename().string().rfind(deb_prefix, 0) == 0);

    auto contents = runProcess({"dpkg-deb", "--contents", deb});
    REQUIRE(contents.exit_code == 0);
    std::set<std::string> files;
    std::istringstream lines(contents.out);
    for (std::string line; std::getline(lines, line);) {
      auto at = line.find(" ./");
      if (at != std::string::npos) files.insert(line.substr(at + 1));
    }
    const std::string libdir = MOBISYNC_INSTALL_LIBDIR;
    for (const std::string& expected : std::vector<std::string>{
             "./usr/bin/mobisync", "./usr/" + libdir + "/mobisync/plugins/mobisync_plugin_csv.so",
          "./etc/mobisync/mobisync.toml", "./etc/mobisync/mobisync.example.toml",
          "./usr/lib/systemd/system/mobisync.service",
          "./usr/lib/systemd/system/mobisync@.service",
          "./usr/lib/systemd/system/mobisync@.timer", "./usr/share/doc/mobisync/operations.md",
          "./usr/share/doc/mobisync/reference.toml", "./usr/include/mobisync/plugin/plugin.hpp"}) {
      CHECK_MESSAGE(files.count(expected) == 1, expected);
    }
    for (const auto& f : files) {
      CHECK_MESSAGE(f.rfind("./usr/etc", 0) != 0, f);
      CHECK_MESSAGE(f.rfind("./usr/local", 0) != 0, f);
    }
    auto conffiles = runProcess({"dpkg-deb", "--info", deb, "conffiles"});
    CHECK(conffiles.out.find("/etc/mobisync/mobisync.toml") != std::string::npos);
    auto control = runProcess({"dpkg-deb", "--field", deb, "Package", "Version", "Depends"});
    CHECK(control.out.find("Package: mobisync") != std::string::npos);
    CHECK(control.out.find("libpoco") != std::string::npos);  // shlibdeps found the libraries

    // Extract into a scratch root: the program runs and finds the plugins installed beside it.
    const fs::path root = dir.file("root");
    REQUIRE(runProcess({"dpkg-deb", "-x", deb, root.string()}).exit_code == 0);
    auto list = runProcess({(root / "usr/bin/mobisync").string(), "plugins", "list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find((root / ("usr/" + libdir + "/mobisync/plugins/mobisync_plugin_csv.so"))
                            .lexically_normal()
                            .string()) != std::string::npos);
    // The packaged config validates except for what an operator must fill in.
    auto check = runProcess({(root / "usr/bin/mobisync").string(), "check", "-c",
                             (root / "etc/mobisync/mobisync.toml").string()},
                            {{"MOBIVATE_PASSWORD", "x"}});
    CHECK(check.exit_code == 0);

    for (const char* unit : kUnits) {
      const fs::path path = root / "usr/lib/systemd/system" / unit;
      CHECK_MESSAGE(checkUnit(unit, slurp(path), root).empty(),
                    joined(checkUnit(unit, slurp(path), root)));
    }

    if (runProcess({"sh", "-c", "command -v systemd-analyze"}).exit_code != 0) {
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
}
