// SPDX-License-Identifier: Apache-2.0
// docs/errors.md cannot rot silently: every message fragment it documents (its "### `...`"
// headings) must still occur in the source of the engine, the plugins or libs/, and must be
// produced by a test. Config and command-line errors are produced here, by running `mobisync` on
// a config made to fail; the rest must appear in another test's expectations (tests/**), which
// the catalogue test checks.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> documentedFragments() {
  const std::string doc = slurp(fs::path(mobisync::test::sourceDir()) / "docs/errors.md");
  std::vector<std::string> out;
  const std::regex heading(R"(^### `(.+)`[ \t]*$)", std::regex::multiline);
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), heading);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

/// True when some C++ file under `dir` (relative to the source tree) contains `fragment`.
bool occursUnder(const std::string& dir, const std::string& fragment,
                 const std::string& except = "") {
  for (const auto& e : fs::recursive_directory_iterator(fs::path(mobisync::test::sourceDir()) / dir)) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
    if (!except.empty() && e.path().filename() == except) continue;
    if (slurp(e.path()).find(fragment) != std::string::npos) return true;
  }
  return false;
}

/// One error produced here: a config (or none) and command-line arguments made to fail, the
/// fragment the output must contain and the exit code (a warning exits 0).
struct Reproduction {
  std::string fragment;
  std::string config;  ///< whole mobisync.toml; "" for none
  std::vector<std::string> args;
  int exit_code;
};

const std::string kProvider =
    "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\npassword_env = \"PW\"\n";
const std::string kSource =
    "[[source]]\nname = \"s\"\nplugin = \"csv\"\npath = \"people.csv\"\n";
const std::string kJob =
    "[[job]]\nname = \"j\"\nsource = \"s\"\ndefault_region = \"GB\"\n"
    "applications = [\"contacts:42\"]\n";
const std::string kSourceAndJob = kSource + kJob;

const std::vector<Reproduction>& reproductions() {
  static const std::vector<Reproduction> table = {
      {"config file not found", "", {"check"}, 78},
      {"unknown table; expected [provider]", kProvider + "[stat]\npath = \"x\"\n" + kSourceAndJob,
       {"check"}, 78},
      {"the [provider] table is missing", kSourceAndJob, {"check"}, 78},
      {"required secret is missing",
       "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\n" + kSourceAndJob,
       {"check"}, 78},
      {"secret written inline in a file others can read",
       "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\npassword = \"pw-x\"\n" +
           kSourceAndJob,
       {"check"}, 0},
      {"cannot read",
       "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\n"
       "password_file = \"no-such.pw\"\n" + kSourceAndJob,
       {"plan"}, 78},
      {"unterminated ${", kProvider + "[state]\npath = \"${HOME\"\n" + kSourceAndJob, {"check"}, 78},
      {"must start with http:// or https://",
       "[provider]\nbase_url = \"ftp://127.0.0.1\"\nusername = \"u\"\npassword_env = \"PW\"\n" +
           kSourceAndJob,
       {"check"}, 78},
      {"must be between", kProvider + "timeout_ms = 9223372036854775807\n" + kSourceAndJob,
       {"check"}, 78},
      {"is not a valid URL",
       "[provider]\nbase_url = \"http://[::1\"\nusername = \"u\"\npassword_env = \"PW\"\n" +
           kSourceAndJob,
       {"check"}, 78},
      {"is not a regular file",
       "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\n"
       "password_file = \".\"\n" + kSourceAndJob,
       {"plan"}, 78},
      {"expected an array of tables: write [[",
       kProvider + "[source]\nname = \"s\"\nplugin = \"csv\"\npath = \"p.csv\"\n", {"check"}, 78},
      {"another [[source]] already has this name", kProvider + kSource + kSourceAndJob, {"check"}, 78},
      {"unknown level", kProvider + "[log]\nlevel = \"verbose\"\n" + kSourceAndJob, {"check"}, 78},
      {"no enabled [[job]] to run", kProvider + kSource + kJob + "enabled = false\n", {"plan"}, 78},
      {"no job named", kProvider + kSourceAndJob, {"plan", "nosuchjob"}, 64},
      {"is not in the header of",
       kProvider + kSource + "msisdn_column = \"mobile\"\n" + kJob, {"plan"}, 78},
  };
  return table;
}

}  // namespace

TEST_SUITE("reliability.errors_doc") {
  TEST_CASE("config and command errors in docs/errors.md are produced as documented") {
    for (const Reproduction& rep : reproductions()) {
      CAPTURE(rep.fragment);
      mobisync::test::TempDir dir;
      dir.write("people.csv", "msisdn,name\n07930000001,Ann\n");
      const std::string config = dir.file("mobisync.toml");
      if (!rep.config.empty()) {
        dir.write("mobisync.toml", rep.config);
        // Readable by others, as configs often are: that is what the inline-secret warning is for.
        fs::permissions(config, fs::perms::group_read | fs::perms::others_read,
                        fs::perm_options::add);
      }
      std::vector<std::string> argv = {mobisync::test::mobisyncBinary()};
      argv.insert(argv.end(), rep.args.begin(), rep.args.end());
      argv.insert(argv.end(), {"-c", config, "--plugin-dir", mobisync::test::pluginDir()});
      auto r = mobisync::test::runProcess(argv, {{"PW", "pw-value"}});
      INFO(r.out << r.err);
      CHECK(r.exit_code == rep.exit_code);
      CHECK((r.out + r.err).find(rep.fragment) != std::string::npos);
    }
  }

  TEST_CASE("every error in docs/errors.md occurs in the source tree and in a test") {
    const auto fragments = documentedFragments();
    REQUIRE(fragments.size() >= 40);
    std::set<std::string> produced_here;
    for (const Reproduction& rep : reproductions()) produced_here.insert(rep.fragment);
    std::vector<std::string> untested;
    for (const auto& f : fragments) {
      CAPTURE(f);
      CHECK((occursUnder("core/src", f) || occursUnder("plugins", f) || occursUnder("libs", f)));
      if (produced_here.count(f) == 0 && !occursUnder("tests", f, "errors_doc_test.cpp")) {
        untested.push_back(f);
      }
    }
    // Documented errors no test produces. Empty, and must stay so: a newly documented error
    // needs a test that produces it (errors_produced_test.cpp holds those that need more than
    // a config made to fail).
    const std::vector<std::string> kNotYetProduced = {};
    std::string list;
    for (const auto& f : untested) list += "\n  " + f;
    const std::size_t tested = fragments.size() - untested.size();
    MESSAGE(tested << " of " << fragments.size() << " documented errors are produced by a test");
    INFO("documented errors no test produces:" << list);
    CHECK(untested == kNotYetProduced);
  }
}
