// SPDX-License-Identifier: Apache-2.0
// Each command's options as the real binary takes them: its --help lists exactly its table, an
// option of another command (or of none) is a usage error naming both, and option values are
// checked (--log-level, --format per command, -q against -v).
#include <doctest/doctest.h>

#include "app/option_table.hpp"

#include "support/process.hpp"
#include "support/test_paths.hpp"

using mobisync::app::OptionSpec;
using mobisync::test::ProcessResult;

namespace {

ProcessResult runMobisync(std::vector<std::string> args) {
  args.insert(args.begin(), mobisync::test::mobisyncBinary());
  return mobisync::test::runProcess(args);
}

/// How `--help` writes the option's name at the start of its line.
std::string helpSpelling(const OptionSpec& o) {
  return (o.short_name != '\0' ? std::string("  -") + o.short_name + ", --" : "      --") +
         o.long_name;
}

bool takes(const mobisync::app::CommandSpec& c, const OptionSpec& o) {
  return mobisync::app::commandOption(c, o.id) != nullptr;
}

}  // namespace

TEST_SUITE("integration.cli") {
  TEST_CASE("each command's help lists its own options and the global ones, and no other") {
    for (const auto& c : mobisync::app::commandTable()) {
      CAPTURE(c.name);
      const ProcessResult r = runMobisync({c.name, "--help"});
      REQUIRE(r.exit_code == 0);
      CHECK(r.out.rfind(std::string("usage: mobisync ") + c.name, 0) == 0);
      CHECK(runMobisync({"help", c.name}).out == r.out);
      for (const auto& o : mobisync::app::optionTable()) {
        if (o.id == mobisync::app::OptionId::Version) continue;
        CAPTURE(o.long_name);
        CHECK((r.out.find(helpSpelling(o)) != std::string::npos) == takes(c, o));
      }
      // Poco's ServerApplication options did nothing here and are gone.
      for (const char* poco : {"--daemon", "--umask", "--pidfile"}) {
        CHECK(r.out.find(poco) == std::string::npos);
      }
      CHECK(r.out.find("exit codes:\n  0 ") != std::string::npos);
    }
    const ProcessResult top = runMobisync({"--help"});
    REQUIRE(top.exit_code == 0);
    for (const auto& c : mobisync::app::commandTable()) {
      CHECK(top.out.find(std::string("\n  ") + c.name + " ") != std::string::npos);
    }
  }

  TEST_CASE("an option the command does not take exits 64 naming the command and the option") {
    int refused = 0;
    for (const auto& c : mobisync::app::commandTable()) {
      for (const auto& o : mobisync::app::optionTable()) {
        if (takes(c, o) || o.id == mobisync::app::OptionId::Version) continue;
        std::vector<std::string> args = {c.name, std::string("--") + o.long_name};
        if (o.argument != nullptr) args.push_back("x");
        const ProcessResult r = runMobisync(args);
        CAPTURE(c.name);
        CAPTURE(o.long_name);
        CHECK(r.exit_code == 64);
        CHECK(r.err.find(std::string(c.name) + " does not take --" + o.long_name) !=
              std::string::npos);
        CHECK(r.out.empty());
        ++refused;
      }
    }
    CHECK(refused > 50);
    // Poco's, refused as unknown like any other.
    for (const char* poco : {"--daemon", "--umask=022", "--pidfile=/tmp/x"}) {
      const ProcessResult r = runMobisync({"sync", poco});
      CHECK(r.exit_code == 64);
      CHECK(r.err.find(std::string("unknown option ") + std::string(poco).substr(0, std::string(poco).find('=')) +
                       " for sync") != std::string::npos);
    }
  }

  TEST_CASE("--format json is refused by the commands and subcommands that print no data") {
    for (std::vector<std::string> args :
         {std::vector<std::string>{"run", "--format", "json"},
          {"webhooks", "register", "--format", "json"},
          {"state", "reset", "people", "--format", "json"},
          {"optouts", "import", "--format", "json"},
          {"optouts", "export", "--format", "json"},
          {"plugins", "describe", "csv", "--format", "json"},
          {"plugins", "reference", "--format", "json"}}) {
      CAPTURE(args[0] + " " + args[1]);
      const ProcessResult r = runMobisync(args);
      CHECK(r.exit_code == 64);
      CHECK(r.err.find("--format") != std::string::npos);
    }
    const ProcessResult schema = runMobisync({"plan", "--format", "json-schema"});
    CHECK(schema.exit_code == 64);
    CHECK(schema.err.find("--format of plan must be table or json, not \"json-schema\"") !=
          std::string::npos);
    CHECK(runMobisync({"plugins", "--format", "yaml"}).err.find(
              "--format of plugins must be table, json or json-schema") != std::string::npos);
  }

  TEST_CASE("--log-level is validated and -q and -v set the level, one way at a time") {
    const ProcessResult bogus = runMobisync({"check", "--log-level", "bogus"});
    CHECK(bogus.exit_code == 64);
    CHECK(bogus.err.find("--log-level must be error, warning, notice, information, debug or "
                         "trace, not \"bogus\"") != std::string::npos);
    CHECK(runMobisync({"check", "-q", "-v"}).exit_code == 64);
    CHECK(runMobisync({"check", "-v", "--log-level", "debug"}).err.find(
              "-v/--verbose and --log-level both set the log level") != std::string::npos);
    CHECK(runMobisync({"check", "--quiet", "--quiet"}).err.find("--quiet is given twice") !=
          std::string::npos);
    // -v is repeatable, alone or bundled; the config is then what fails (78), not the options.
    for (std::vector<std::string> args : {std::vector<std::string>{"check", "-vv"},
                                          {"check", "-v", "-v"}, {"check", "-q"}}) {
      const ProcessResult r = runMobisync({args.begin(), args.end()});
      CHECK(r.exit_code == 78);
    }
  }

  TEST_CASE("option syntax: values after = or the next word, -cFILE, and -- ends the options") {
    const ProcessResult missing = runMobisync({"check", "--config"});
    CHECK(missing.exit_code == 64);
    CHECK(missing.err.find("--config needs a value (FILE)") != std::string::npos);
    CHECK(runMobisync({"check", "--force=yes"}).exit_code == 64);
    for (std::vector<std::string> args :
         {std::vector<std::string>{"check", "--config=/nonexistent/m.toml"},
          {"check", "-c/nonexistent/m.toml"}, {"-c", "/nonexistent/m.toml", "check"}}) {
      const ProcessResult r = runMobisync({args.begin(), args.end()});
      CHECK(r.exit_code == 78);
      CHECK(r.err.find("/nonexistent/m.toml") != std::string::npos);
    }
    // After --, "--help" is a job name.
    const ProcessResult job = runMobisync({"plan", "-c", "/nonexistent/m.toml", "--", "--help"});
    CHECK(job.exit_code == 78);
    const ProcessResult unknown = runMobisync({"fly"});
    CHECK(unknown.exit_code == 64);
    CHECK(unknown.err.find("unknown command \"fly\"; commands: check, plan") != std::string::npos);
    const ProcessResult bare = runMobisync({});
    CHECK(bare.exit_code == 64);
    CHECK(bare.out.find("commands:") != std::string::npos);
  }
}
