// SPDX-License-Identifier: Apache-2.0
// The build's man pages and shell completion (target mobisync_docs): every option of every
// command in mobisync(1), every exit code, every config key in mobisync.toml(5); the scripts
// pass `bash -n` / `zsh -n` and bash completes from the same tables.
#include <doctest/doctest.h>

#include <fstream>

#include "app/exit_codes.hpp"
#include "app/option_table.hpp"
#include "config/core_schema.hpp"

#include "support/process.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ProcessResult;
using mobisync::test::runProcess;

namespace {

std::string built(const std::string& path) {
  std::ifstream in(std::string(MOBISYNC_BUILD_DIR) + "/" + path);
  REQUIRE_MESSAGE(in, "missing " << path << ": build the mobisync_docs target");
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

/// How roff writes a name with dashes: "\-\-dry\-run".
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

/// The text between `from` and the next `until` (or the end).
std::string section(const std::string& page, const std::string& from, const std::string& until) {
  const auto start = page.find(from);
  if (start == std::string::npos) return "";
  const auto end = page.find(until, start + from.size());
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool haveProgram(const std::string& name) {
  return runProcess({"sh", "-c", "command -v " + name}).exit_code == 0;
}

/// The words bash completion offers for the command line `line` (its last word is completed).
std::string bashCompletes(const std::string& line) {
  const std::string script = std::string(MOBISYNC_BUILD_DIR) + "/completion/mobisync.bash";
  const ProcessResult r = runProcess(
      {"bash", "-c",
       "source '" + script + "'; read -ra COMP_WORDS <<< \"$LINE\"; "
       "[[ $LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); "
       "_mobisync; echo \"${COMPREPLY[*]}\""},
      {{"LINE", line}});
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

}  // namespace

TEST_SUITE("integration.cli") {
  TEST_CASE("mobisync(1) lists every command with every option it takes, and every exit code") {
    const std::string page = built("man/mobisync.1");
    CHECK(page.rfind(".\\\"", 0) == 0);
    CHECK(page.find(".TH MOBISYNC 1 ") != std::string::npos);
    for (const auto& c : mobisync::app::commandTable()) {
      CAPTURE(c.name);
      const std::string text = section(page, std::string(".SS \"\\&mobisync ") + c.name, ".SS");
      REQUIRE_FALSE(text.empty());
      for (const auto& o : c.options) {
        const std::string name = mobisync::app::optionSpec(o.id).long_name;
        CAPTURE(name);
        CHECK(text.find(".B \\&" + roff("--" + name)) != std::string::npos);
      }
    }
    const std::string global = section(page, ".SH OPTIONS", ".SH");
    for (const auto& g : mobisync::app::globalOptions()) {
      CHECK(global.find(roff(std::string("--") + mobisync::app::optionSpec(g.id).long_name)) !=
            std::string::npos);
    }
    const std::string codes = section(page, ".SH EXIT STATUS", ".SH");
    for (const auto& e : mobisync::app::exitCodeTable()) {
      CHECK(codes.find(".TP\n.B " + std::to_string(e.code) + "\n") != std::string::npos);
    }
    CHECK(codes.find(".B 75\n") != std::string::npos);
  }

  TEST_CASE("mobisync.toml(5) lists every table and key of the core and the plugins' keys") {
    const std::string page = built("man/mobisync.toml.5");
    for (const auto& t : mobisync::config::coreTables()) {
      const std::string name = std::string(t.name);
      const std::string heading = t.array ? "[[" + name + "]]" : "[" + name + "]";
      const std::string text = section(page, ".SS \"\\&" + heading + "\"", ".SS");
      CAPTURE(name);
      REQUIRE_FALSE(text.empty());
      for (const auto& k : t.keys) {
        CHECK(text.find(".B \\&" + roff(k.name) + "\n") != std::string::npos);
      }
    }
    const std::string csv =
        section(page, ".SS \"\\&[[source]] with plugin = \\(dqcsv\\(dq\"", ".SS");
    CHECK(csv.find(".B \\&path\n") != std::string::npos);
    CHECK(csv.find(".B \\&applications_separator\n") != std::string::npos);
  }

  TEST_CASE("the man pages format without warnings where groff is installed") {
    if (!haveProgram("groff")) {
      MESSAGE("[skipped] groff not found");
      return;
    }
    for (const char* page : {"man/mobisync.1", "man/mobisync.toml.5"}) {
      const ProcessResult r = runProcess(
          {"groff", "-man", "-Tutf8", "-ww", "-z", std::string(MOBISYNC_BUILD_DIR) + "/" + page});
      CAPTURE(page);
      CHECK(r.exit_code == 0);
      CHECK(r.err == "");
    }
  }

  TEST_CASE("the completion scripts parse, and bash completes commands, options and values") {
    const std::string dir = std::string(MOBISYNC_BUILD_DIR) + "/completion/";
    CHECK(runProcess({"bash", "-n", dir + "mobisync.bash"}).exit_code == 0);
    if (haveProgram("zsh")) {
      const ProcessResult z = runProcess({"zsh", "-n", dir + "_mobisync"});
      CHECK(z.exit_code == 0);
      CHECK(z.err == "");
    } else {
      MESSAGE("zsh not found: _mobisync not parsed");
    }
    CHECK(bashCompletes("mobisync st") == "state");
    CHECK(bashCompletes("mobisync sync --f") == "--format --force --full-refresh");
    CHECK(bashCompletes("mobisync -c x.toml plugins --format ") == "table json json-schema");
    CHECK(bashCompletes("mobisync plan --format ") == "table json");
    CHECK(bashCompletes("mobisync state ") == "show reset messages");
    CHECK(bashCompletes("mobisync check --log-level d") == "debug");
    CHECK(bashCompletes("mobisync run --f") == "");
  }
}
