// SPDX-License-Identifier: Apache-2.0
// The command line as users meet it: help, usage errors, config errors, plugins, the reference.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "app/exit_codes.hpp"
#include "mobisync/build_info.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::runProcess;

namespace {
mobisync::test::ProcessResult runCli(std::vector<std::string> args,
                                       std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), mobisync::test::mobisyncBinary());
  return runProcess(args, env);
}
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
/// code -> first cell after it, from the Markdown table rows "| 65 | ... |" of the section that
/// starts at `heading`.
std::map<int, std::string> exitTable(const std::string& doc, const std::string& heading) {
  std::map<int, std::string> out;
  std::istringstream in(doc.substr(doc.find(heading)));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("#", 0) != 0) {
    if (line.size() < 4 || line[0] != '|' || line[2] < '0' || line[2] > '9') continue;
    const auto bar = line.find(" | ", 2);
    const auto end = line.find(" |", bar + 3);
    out[std::stoi(line.substr(2, bar - 2))] = line.substr(bar + 3, end - bar - 3);
  }
  return out;
}
}  // namespace

TEST_SUITE("integration.cli") {
  TEST_CASE("README, docs/errors.md and --help list the same exit codes") {
    const auto readme = exitTable(slurp(mobisync::test::sourceDir() + "/README.md"),
                                  "### Exit codes");
    const auto errors = exitTable(slurp(mobisync::test::sourceDir() + "/docs/errors.md"),
                                  "## Exit codes");
    const auto help = runCli({"--help"});
    REQUIRE(help.exit_code == 0);
    std::map<int, std::string> table;
    for (const auto& e : mobisync::app::exitCodeTable()) table[e.code] = e.meaning;
    CHECK(table.size() == 9);
    CHECK(readme == table);  // README says exactly what the code's table says
    for (const auto& [code, meaning] : table) {
      CAPTURE(code);
      CHECK(errors.count(code) == 1);
      CHECK(help.out.find("\n  " + std::to_string(code) + " ") != std::string::npos);
    }
    CHECK(errors.size() == table.size());
  }

  TEST_CASE("config/reference.toml is what the schemas generate") {
    auto r = runCli({"plugins", "reference", "--plugin-dir", mobisync::test::pluginDir()});
    REQUIRE(r.exit_code == 0);
    // When this fails: build, then run `build/mobisync plugins reference > config/reference.toml`.
    CHECK(r.out == slurp(mobisync::test::sourceDir() + "/config/reference.toml"));
  }

  TEST_CASE("plugins list shows the csv plugin with kind and versions") {
    auto r = runCli({"plugins", "list", "--plugin-dir", mobisync::test::pluginDir()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("csv         source    0.1.0") != std::string::npos);
  }

  TEST_CASE("plugins list shows the SDK version and file and says why a plugin is refused") {
    auto good = runCli({"plugins", "list", "--plugin-dir", mobisync::test::pluginDir()});
    REQUIRE(good.exit_code == 0);
    CHECK(good.out.find(std::string("csv         source    0.1.0     ") + mobisync::kSdkVersion +
                        "   " + mobisync::test::pluginDir() + "/mobisync_plugin_csv.so\n") !=
          std::string::npos);
    auto bad = runCli({"plugins", "list", "--plugin-dir", mobisync::test::badPluginDir()});
    INFO(bad.out << bad.err);
    REQUIRE(bad.exit_code == 0);
    CHECK(bad.out.find("newersdk    refused: " + mobisync::test::badPluginDir() +
                       "/mobisync_plugin_newersdk.so: built against mobisync SDK 1.99.0") !=
          std::string::npos);
    CHECK(bad.out.find("otherstdlib refused: ") != std::string::npos);
  }

  TEST_CASE("plugins describe prints the plugin and every key of its schema") {
    auto r = runCli({"plugins", "describe", "csv", "--plugin-dir", mobisync::test::pluginDir()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind(std::string("csv 0.1.0 (source plugin, SDK ") + mobisync::kSdkVersion +
                          ")\n  Contacts from a CSV file",
                      0) == 0);
    CHECK(r.out.find("  " + mobisync::test::pluginDir() + "/mobisync_plugin_csv.so\n\nKeys:\n") !=
          std::string::npos);
    // Each key line, spaces collapsed, and the column where its type starts.
    std::map<std::string, std::pair<std::string, std::size_t>> keys;
    std::istringstream lines(r.out.substr(r.out.find("Keys:\n") + 6));
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line.rfind("      ", 0) == 0) continue;  // help text
      std::istringstream words(line);
      std::string word, collapsed;
      while (words >> word) collapsed += (collapsed.empty() ? "" : " ") + word;
      std::string name = collapsed.substr(0, collapsed.find(' '));
      keys[name] = {collapsed, line.find_first_not_of(' ', line.find(name) + name.size())};
    }
    CHECK(keys["path"].first == "path path required");
    CHECK(keys["delimiter"].first == "delimiter string default \",\"");
    CHECK(keys["attributes"].first == "attributes array of strings no default");
    CHECK(keys["applications_separator"].first ==
          "applications_separator string default \";\"");
    CHECK(keys["encoding"].first == "encoding string default \"utf-8\"");
    CHECK(keys.size() == 10);
    const std::size_t type_column = keys["path"].second;
    for (const auto& [name, line] : keys) {
      CHECK_MESSAGE(line.second == type_column, name << " is not aligned");
    }
    CHECK(r.out.find("\n      The CSV file to read") != std::string::npos);
  }

  TEST_CASE("plugins describe of a missing plugin fails naming the file and the directory") {
    auto r = runCli({"plugins", "describe", "nosuch", "--plugin-dir", mobisync::test::pluginDir()});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("plugin \"nosuch\" not found: no mobisync_plugin_nosuch.so in " +
                     mobisync::test::pluginDir()) != std::string::npos);
  }

  TEST_CASE("every command has help and an unknown option is a usage error") {
    for (const char* command : {"check", "plan", "sync", "state", "plugins"}) {
      auto r = runCli({command, "--help"});
      CHECK(r.exit_code == 0);
      CHECK(r.out.find(std::string("usage: mobisync ") + command) != std::string::npos);
    }
    auto bad = runCli({"sync", "--frobnicate"});
    CHECK(bad.exit_code == 64);
    CHECK(bad.err.find("frobnicate") != std::string::npos);
    CHECK(runCli({"fly"}).exit_code == 64);
    CHECK(runCli({"--version"}).out.rfind("mobisync ", 0) == 0);
  }

  TEST_CASE("a config error exits 78 with file line column and key and never the secret") {
    mobisync::test::TempDir dir;
    dir.write("bad.toml",
              "[provider]\nusername = \"u\"\npassword_env = \"PW\"\nconcurency = 3\n");
    auto r = runCli({"check", "-c", dir.file("bad.toml")}, {{"PW", "hunter2-secret"}});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find(dir.file("bad.toml") + ":4:1: provider.concurency: unknown key") !=
          std::string::npos);
    CHECK((r.out + r.err).find("hunter2-secret") == std::string::npos);
  }
}
