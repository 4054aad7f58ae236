// SPDX-License-Identifier: Apache-2.0
// The command line as users meet it: help, usage errors, config errors, plugins, the reference.
#include <doctest/doctest.h>

#include <fstream>

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
}  // namespace

TEST_SUITE("integration.cli") {
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
