// SPDX-License-Identifier: Apache-2.0
// checkUnit: a strict check of our systemd unit files (known sections and keys, typed values,
// programs that exist), for package_test.cpp; systemd-analyze verify, where present, only warns.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace mobisync::test {

/// Checks a unit file strictly: known sections, known keys per section, no stray syntax, typed
/// values, required keys; `root` is where Exec* programs must exist. Returns the problems.
inline std::vector<std::string> checkUnit(const std::string& name, const std::string& text,
                                          const std::filesystem::path& root) {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"Unit", {"Description", "Documentation", "Wants", "After", "Requires", "Before"}},
      {"Service",
       {"Type", "ExecStart", "ExecReload", "KillSignal", "TimeoutStopSec", "Restart",
        "RestartSec", "RestartPreventExitStatus", "WatchdogSec", "NotifyAccess", "DynamicUser",
        "User", "Group", "LoadCredential", "SetCredential",
        "StateDirectory", "StateDirectoryMode", "WorkingDirectory", "ConfigurationDirectory",
        "EnvironmentFile", "UMask", "NoNewPrivileges", "ProtectSystem", "ProtectHome",
        "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules",
        "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname",
        "ProtectProc", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime",
        "RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute",
        "SystemCallArchitectures", "SystemCallFilter", "CapabilityBoundingSet",
        "AmbientCapabilities"}},
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
      {"NotifyAccess", std::regex("none|main|exec|all")},
      {"LoadCredential", std::regex("[A-Za-z0-9_.-]+(:/[A-Za-z0-9/_.-]+)?")},
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

inline std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

/// The units the package installs, under /usr/lib/systemd/system.
inline const char* const kUnits[] = {"mobisync.service", "mobisync@.service", "mobisync@.timer"};

}  // namespace mobisync::test
