// SPDX-License-Identifier: Apache-2.0
// docs/plugin-authors.md as a reader runs it: every ```sh block of the page, in order, in one shell
// with a scratch $HOME, and the files the page shows written where it says. The outcomes the page
// claims are checked line by line, so the page cannot drift from what works.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include "installed_sdk.hpp"
#include "mobisync/build_info.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::ChildProcess;
using mobisync::test::TempDir;
using mobisync::test::sdk::slurp;
using mobisync::test::sdk::split;

namespace {

/// One fenced block of the page.
struct Block {
  std::string lang;       ///< what follows the opening ```
  std::string text;       ///< its lines, each ending in '\n'
  std::string paragraph;  ///< the paragraph right before the fence
};

std::vector<Block> fencedBlocks(const std::string& page) {
  std::vector<Block> blocks;
  std::vector<std::string> lines;
  std::stringstream in(page);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string paragraph, last;  // the one being read, the one a blank line ended
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) != 0) {
      if (!lines[i].empty()) {
        paragraph += lines[i] + "\n";
      } else if (!paragraph.empty()) {
        last = std::move(paragraph);
        paragraph.clear();
      }
      continue;
    }
    Block b{lines[i].substr(3), "", paragraph.empty() ? last : paragraph};
    for (++i; i < lines.size() && lines[i].rfind("```", 0) != 0; ++i) b.text += lines[i] + "\n";
    blocks.push_back(std::move(b));
    paragraph.clear();
    last.clear();
  }
  return blocks;
}

/// The file a block is to be written to: the paragraph before it starts with `NAME`.
std::optional<std::string> fileOf(const Block& b) {
  if (b.paragraph.rfind("`", 0) != 0) return std::nullopt;
  const std::size_t end = b.paragraph.find('`', 1);
  if (end == std::string::npos) return std::nullopt;
  return b.paragraph.substr(1, end - 1);
}

/// A shell line without its trailing comment and blanks (the page's comments follow "  # ").
std::string codeOf(const std::string& line) {
  std::string code = line;
  const std::size_t hash = code.find("  #");
  if (hash != std::string::npos) code.erase(hash);
  if (!code.empty() && code[0] == '#') code.clear();
  const std::size_t last = code.find_last_not_of(' ');
  return last == std::string::npos ? "" : code.substr(0, last + 1);
}

std::string singleQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// What one line of the page did.
struct LineRun {
  std::string code;
  bool ran = false;
  int rc = -1;
  double seconds = 0;
  std::string out, err;
};

/// The text between "@@doc N begin\n" and "\n@@doc N end" in `all`.
std::optional<std::string> segment(const std::string& all, std::size_t n, std::string* end_line) {
  const std::string begin = "@@doc " + std::to_string(n) + " begin\n";
  const std::size_t b = all.find(begin);
  if (b == std::string::npos) return std::nullopt;
  const std::size_t e = all.find("\n@@doc " + std::to_string(n) + " end", b);
  if (e == std::string::npos) return std::nullopt;
  if (end_line != nullptr) {
    const std::size_t eol = all.find('\n', e + 1);
    *end_line = all.substr(e + 1, eol == std::string::npos ? std::string::npos : eol - e - 1);
  }
  return all.substr(b + begin.size(), e - b - begin.size());
}

/// A loopback port nothing listens on right now.
int freePort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

/// Whether `pid` is still the program `name` that the page started, and not yet a zombie. The
/// name guards against a pid reused by an unrelated process after the program ended.
bool alive(pid_t pid, const std::string& name) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string cmdline = slurp(proc + "/cmdline");
  const std::string argv0 = cmdline.substr(0, cmdline.find('\0'));
  if (fs::path(argv0).filename() != name) return false;
  const std::string stat = slurp(proc + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren == std::string::npos || stat.compare(paren + 2, 1, "Z") != 0;
}

/// Stops a program the page started with `... &`, by its pid.
void stop(pid_t pid, const std::string& name) {
  if (!alive(pid, name)) return;
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 100 && alive(pid, name); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (alive(pid, name)) ::kill(pid, SIGKILL);
}

std::map<std::string, std::set<std::string>> subscriptions(const std::string& json) {
  std::map<std::string, std::set<std::string>> result;
  Poco::JSON::Parser parser;
  auto all = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto contact = all->getObject(static_cast<unsigned>(i));
    auto applications = contact->getArray("applications");
    auto& target = result[contact->getValue<std::string>("msisdn")];
    for (std::size_t k = 0; k < applications->size(); ++k) {
      target.insert(applications->getElement<std::string>(static_cast<unsigned>(k)));
    }
  }
  return result;
}

bool onPath(const std::string& program) {
  for (const auto& dir : split(std::getenv("PATH") ? std::getenv("PATH") : "", ':')) {
    if (::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("integration.plugin_authors_doc") {
  TEST_CASE("every shell line of docs/plugin-authors.md runs and does what the page says") {
    if (!onPath("curl")) {
      MESSAGE("[skipped] curl is not installed; the page's simulator lines use it");
      return;
    }
    const std::string page = slurp(mobisync::test::sourceDir() + "/docs/plugin-authors.md");
    REQUIRE(!page.empty());

    // Lines the test does not run as written, each with why. The page's tree is the one this
    // test was built from, already built: rebuilding it here would race the other tests.
    const std::map<std::string, std::string> mapped = {
        {"scripts/build", ": not run, this build tree is the one under test and is built"}};

    TempDir scratch;
    const std::string home = scratch.file("home");
    const std::string tree = scratch.file("tree");  // a source tree whose build/ is ours
    fs::create_directories(home);
    fs::create_directories(tree);
    fs::create_directory_symlink(MOBISYNC_BUILD_DIR, tree + "/build");
    const std::string pids = scratch.file("background.pids");

    // The script: each line between markers on both streams, stopping at the first that fails;
    // each file block written with a quoted here-document, in the shell's current directory.
    // A reader's umask is often 002: the page must cope with it.
    std::string script =
        "umask 002\ncd " + singleQuoted(tree) + " || exit 90\n"
        "__doc_begin() { printf '\\n@@doc %s begin\\n' \"$1\"; "
        "printf '\\n@@doc %s begin\\n' \"$1\" >&2; __doc_t0=$EPOCHREALTIME; }\n"
        "__doc_end() { printf '\\n@@doc %s end %s %s %s\\n' \"$1\" \"$2\" \"$__doc_t0\" "
        "\"$EPOCHREALTIME\"; printf '\\n@@doc %s end\\n' \"$1\" >&2; }\n";
    std::vector<LineRun> lines;
    std::set<std::string> files_written;
    std::set<std::string> mappings_used;
    int sh_blocks = 0;
    for (const Block& b : fencedBlocks(page)) {
      if (b.lang == "sh") {
        ++sh_blocks;
        std::string joined;
        for (const auto& raw : split(b.text, '\n')) {
          joined += raw;
          if (!joined.empty() && joined.back() == '\\') {
            joined += "\n";
            continue;
          }
          const std::string code = codeOf(joined);
          joined.clear();
          if (code.empty()) continue;
          const std::size_t n = lines.size();
          lines.emplace_back();
          lines.back().code = code;
          std::string run = code;
          if (auto m = mapped.find(code); m != mapped.end()) {
            run = m->second;
            mappings_used.insert(code);
          }
          const bool background =
              code.back() == '&' && (code.size() < 2 || code[code.size() - 2] != '&');
          script += "__doc_begin " + std::to_string(n) + "\n" + run + "\n__doc_rc=$?\n";
          if (background) {
            std::string first = code.substr(0, code.find(' '));
            first.erase(std::remove(first.begin(), first.end(), '"'), first.end());
            const std::string program = fs::path(first).filename();
            script += "echo \"$! " + program + "\" >> " + singleQuoted(pids) + "\n";
          }
          script += "__doc_end " + std::to_string(n) + " \"$__doc_rc\"\n";
          script += "[ \"$__doc_rc\" = 0 ] || exit 91\n";
        }
      } else if (auto file = fileOf(b)) {
        REQUIRE_MESSAGE(b.text.find("\n__MOBISYNC_DOC_EOF__\n") == std::string::npos, *file);
        files_written.insert(*file);
        script += "cat > " + singleQuoted(*file) + " <<'__MOBISYNC_DOC_EOF__'\n" + b.text +
                  "__MOBISYNC_DOC_EOF__\n";
      }
    }
    // The page still has the blocks this test knows, and every mapping still maps a line of it.
    CHECK(sh_blocks >= 5);
    CHECK(files_written ==
          std::set<std::string>{"CMakeLists.txt", "hello_source.cpp", "mobisync.toml"});
    for (const auto& entry : mapped) {
      CHECK_MESSAGE(mappings_used.count(entry.first) == 1,
                    "no line `" << entry.first << "` is left to map");
    }
    scratch.write("tutorial.sh", script);

    // A reader's shell: nothing of this test's environment but PATH (with this build's cmake
    // first) and the tools this build used, so the plugin is built as the SDK was.
    const int port = freePort();
    const std::string path = fs::path(MOBISYNC_CMAKE_COMMAND).parent_path().string() + ":" +
                             (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
    const auto started = std::chrono::steady_clock::now();
    std::optional<int> exit_code;
    {
      ChildProcess shell({"env", "-i", "HOME=" + home, "PATH=" + path, "LC_ALL=C",
                          "CXX=" MOBISYNC_CXX_COMPILER, "CMAKE_GENERATOR=" MOBISYNC_CMAKE_GENERATOR,
                          "SIM_PORT=" + std::to_string(port), "/bin/bash", "--noprofile", "--norc",
                          scratch.file("tutorial.sh")},
                         {}, scratch.path());
      exit_code = shell.waitFor(std::chrono::seconds(240));
      const std::string out = shell.readStdout();
      const std::string err = shell.readStderr();
      // Whatever happened, nothing the page started in the background outlives the test.
      for (const auto& started_line : split(slurp(pids), '\n')) {
        const auto fields = split(started_line, ' ');
        stop(static_cast<pid_t>(std::stol(fields.at(0))), fields.at(1));
      }
      for (std::size_t n = 0; n < lines.size(); ++n) {
        std::string end_line;
        auto o = segment(out, n, &end_line);
        auto e = segment(err, n, nullptr);
        if (!o || !e) continue;
        std::istringstream fields(end_line);
        std::string at, index, word;
        double t0 = 0, t1 = 0;
        fields >> at >> index >> word >> lines[n].rc >> t0 >> t1;
        lines[n].ran = true;
        lines[n].seconds = t1 - t0;
        lines[n].out = *o;
        lines[n].err = *e;
      }
      INFO("the shell's output:\n" << out << "\nits errors:\n" << err);
      REQUIRE_MESSAGE(exit_code.has_value(), "the page's lines did not finish in 240 s");
      for (const LineRun& l : lines) {
        INFO("line `" << l.code << "`\nstdout:\n" << l.out << "\nstderr:\n" << l.err);
        REQUIRE_MESSAGE(l.ran, "line `" << l.code << "` did not run");
        REQUIRE_MESSAGE(l.rc == 0, "line `" << l.code << "` exited " << l.rc);
      }
      CHECK(*exit_code == 0);
    }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                             .count();
    MESSAGE("the page's " << lines.size() << " shell lines took " << total << " s");

    // The outcomes the page claims, by line.
    auto find = [&](const std::string& code, std::size_t after = 0) -> const LineRun& {
      for (std::size_t n = after; n < lines.size(); ++n) {
        if (lines[n].code == code) return lines[n];
      }
      FAIL("the page has no line `" << code << "`");
      return lines.front();
    };
    auto indexOf = [&](const LineRun& l) { return static_cast<std::size_t>(&l - lines.data()); };
    const std::string sdk = mobisync::kSdkVersion;

    // The plugin was built against the prefix the page installed, and nothing else.
    CHECK(slurp(home + "/hello-source/build/CMakeCache.txt")
              .find("mobisync_DIR:PATH=" + home + "/mobisync/" MOBISYNC_INSTALL_LIBDIR
                    "/cmake/mobisync\n") != std::string::npos);
    const LineRun& list = find("mobisync plugins list --plugin-dir build");
    INFO(list.out << list.err);
    CHECK(list.out.find("hello       source    0.1.0     " + sdk +
                        "   build/mobisync_plugin_hello.so\n") != std::string::npos);
    CHECK(list.out.find("refused") == std::string::npos);

    const LineRun& describe = find("mobisync plugins describe hello --plugin-dir build");
    INFO(describe.out << describe.err);
    CHECK(describe.out.find("hello 0.1.0 (source plugin, SDK " + sdk + ")\n") != std::string::npos);
    CHECK(describe.out.find("  count integer             default \"3\"\n"
                            "      How many contacts to make up.\n") != std::string::npos);

    CHECK(find("mobisync check -c mobisync.toml").rc == 0);
    const LineRun& plan = find("mobisync plan -c mobisync.toml");
    INFO(plan.out << plan.err);
    for (int i = 0; i < 5; ++i) {
      CHECK(plan.out.find("+ 44793000000" + std::to_string(i) + "    contacts:42  \"Hello " +
                          std::to_string(i) + "\"\n") != std::string::npos);
    }
    CHECK(plan.out.find("Summary: 5 to add, 0 to remove") != std::string::npos);

    const LineRun& sync = find("mobisync sync -c mobisync.toml");
    const std::string contacts_line = "curl -s \"http://127.0.0.1:$SIM_PORT/_sim/contacts\"";
    const LineRun& after_sync = find(contacts_line, indexOf(sync));
    INFO(after_sync.out);
    std::map<std::string, std::set<std::string>> expected;
    for (int i = 0; i < 5; ++i) expected["44793000000" + std::to_string(i)] = {"contacts:42"};
    CHECK(subscriptions(after_sync.out) == expected);

    const LineRun& reset = find("curl -s -X POST \"http://127.0.0.1:$SIM_PORT/_sim/reset\"");
    // It once waited 60 s for a body curl never sends.
    MESSAGE("POST /_sim/reset took " << reset.seconds << " s");
    CHECK(reset.seconds < 5);
    const LineRun& after_reset = find(contacts_line, indexOf(reset));
    INFO(after_reset.out);
    CHECK(subscriptions(after_reset.out).empty());
    find("kill \"$SIM_PID\"");
    // The page's own `kill` ended it: the test had nothing left to stop.
    const auto background = split(slurp(pids), '\n');
    REQUIRE(background.size() == 1);
    CHECK(background.at(0).find(" mobivate-sim") != std::string::npos);

    // Installed, the plugin is found beside the built-in ones without --plugin-dir.
    const LineRun& installed = find("mobisync plugins list", indexOf(sync));
    INFO(installed.out << installed.err);
    const std::string plugins = home + "/mobisync/" MOBISYNC_INSTALL_LIBDIR "/mobisync/plugins/";
    CHECK(installed.out.find(plugins + "mobisync_plugin_hello.so\n") != std::string::npos);
    CHECK(installed.out.find(plugins + "mobisync_plugin_csv.so\n") != std::string::npos);
    CHECK(installed.out.find("refused") == std::string::npos);
  }
}
