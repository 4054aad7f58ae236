// SPDX-License-Identifier: Apache-2.0
// The cases of issue 17 through the real binary, each a promise a user relied on and main
// 1941f27 broke with exit 0: rejected rows unsubscribed their contacts, a provider that is down
// took minutes to give up, wrong credentials filled the reject file, and runs in which every
// call failed were recorded as succeeded.
#include <doctest/doctest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "reliability/sync_workspace.hpp"
#include "support/test_certificate.hpp"

using mobisync::test::contactsCsv;
using mobisync::test::msisdnOf;
using mobisync::test::ProcessResult;
using mobisync::test::SyncWorkspace;
using mobisync::test::TempDir;
using mobisync::test::WorkspaceOptions;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kContacts = 200;

/// people.csv with rows [first_bad, first_bad + bad) changed by `spoil` (given the row's line).
std::string spoiledCsv(int first_bad, int bad, std::string (*spoil)(int)) {
  std::istringstream in(contactsCsv(0, kContacts));
  std::string line;
  std::string out;
  std::getline(in, line);
  out += line + "\n";
  for (int i = 0; std::getline(in, line); ++i) {
    out += (i >= first_bad && i < first_bad + bad ? spoil(i) : line) + "\n";
  }
  return out;
}

std::string latin1Name(int i) {
  return "07930 0" + msisdnOf(i).substr(7) + ",Ren\xe9 " + std::to_string(i) + ",R" +
         std::to_string(i) + ",";
}
std::string unquotedComma(int i) {
  return "07930 0" + msisdnOf(i).substr(7) + ",Smith, John " + std::to_string(i) + ",R" +
         std::to_string(i) + ",";
}
std::string nulInName(int i) {
  return "07930 0" + msisdnOf(i).substr(7) + ",Person" + std::string(1, '\0') +
         std::to_string(i) + ",R" + std::to_string(i) + ",";
}
std::string overlongName(int i) {
  return "07930 0" + msisdnOf(i).substr(7) + ",Person " + std::string(70000, 'x') + ",R" +
         std::to_string(i) + ",";
}
std::string nulInNumber(int i) {
  std::string n = "07930 0" + msisdnOf(i).substr(7);
  n[8] = '\0';
  return n + ",Person " + std::to_string(i) + ",R" + std::to_string(i) + ",";
}

std::string said(const ProcessResult& r) { return r.out + r.err; }

/// The newest run of job "people" as `state show` prints it ("#3 people sync failed: ...").
std::string lastRunLine(SyncWorkspace& w) {
  auto r = w.run({"state", "show"});
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" people sync ") != std::string::npos) return line;  // newest first
  }
  return "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long lines(const std::string& text) {
  long n = 0;
  for (char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

/// A loopback port with nothing listening on it.
int closedPort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return probe.address().port();
}

}  // namespace

TEST_SUITE("reliability.safety") {
  TEST_CASE("a row rejected for its name or layout never unsubscribes its contact") {
    struct Variant {
      const char* what;
      std::string (*spoil)(int);
    };
    for (const Variant v : {Variant{"a Latin-1 name", latin1Name},
                            Variant{"an unquoted comma in the name", unquotedComma},
                            Variant{"a NUL in the name", nulInName},
                            Variant{"a 70,000-byte name", overlongName}}) {
      CAPTURE(v.what);
      SyncWorkspace w;
      w.writeCsv(contactsCsv(0, kContacts));
      auto first = w.run({"sync", "--progress", "never"});
      INFO(said(first));
      REQUIRE(first.exit_code == 0);
      REQUIRE(w.providerPairs().size() == kContacts);

      w.writeCsv(spoiledCsv(50, 10, v.spoil));
      auto second = w.run({"sync", "--progress", "never"});
      INFO(said(second));
      CHECK(second.exit_code == 0);
      CHECK(w.providerPairs().size() == kContacts);  // nobody unsubscribed
      CHECK(w.statePairs().size() == kContacts);
      const std::string rejects = slurp(w.dir().file("people.rejects.csv"));
      CHECK(lines(rejects) == 1 + 10);  // header + the ten rows, each named
      CHECK(rejects.find("people.csv:52") != std::string::npos);
      if (v.spoil == nulInName) {
        CHECK(rejects.find("holds a control character") != std::string::npos);
      }
      if (v.spoil == overlongName) {
        CHECK(rejects.find("bytes long, over 1024") != std::string::npos);
      }
      CHECK(said(second).find("10 rejected") != std::string::npos);
    }
  }

  TEST_CASE("rows whose number cannot be read hold the run's removals over max_reject") {
    SyncWorkspace w;
    w.writeCsv(contactsCsv(0, kContacts));
    REQUIRE(w.run({"sync", "--progress", "never"}).exit_code == 0);

    // 10 of 200 rows (5%, over the default 1%) with a NUL inside the number.
    w.writeCsv(spoiledCsv(50, 10, nulInNumber));
    auto held = w.run({"sync", "--progress", "never"});
    INFO(said(held));
    CHECK(held.exit_code == 65);
    CHECK(said(held).find("10 of 200 rows have a phone number that cannot be read") !=
          std::string::npos);
    CHECK(said(held).find("over max_reject = 1%") != std::string::npos);
    CHECK(said(held).find("--force") != std::string::npos);
    CHECK(w.providerPairs().size() == kContacts);
    CHECK(lastRunLine(w).find("blocked") != std::string::npos);

    // Under the gate (max_reject = 20) the same rows are treated as gone: the user said so.
    w.options().extra_job = "max_reject = 20\n";
    w.writeConfig();
    auto allowed = w.run({"sync", "--progress", "never"});
    INFO(said(allowed));
    CHECK(allowed.exit_code == 0);
    CHECK(w.providerPairs().size() == kContacts - 10);
  }

  TEST_CASE("a CSV that is a FIFO or ends mid-record is refused and removes nothing") {
    SyncWorkspace w;
    w.writeCsv(contactsCsv(0, kContacts));
    REQUIRE(w.run({"sync", "--progress", "never"}).exit_code == 0);

    // Cut at 95%, mid-line, as an export job rewriting the file in place leaves it.
    const std::string whole = contactsCsv(0, kContacts);
    w.writeCsv(whole.substr(0, whole.size() * 95 / 100));
    auto cut = w.run({"sync", "--progress", "never"});
    INFO(said(cut));
    CHECK(cut.exit_code == 69);
    CHECK(said(cut).find("without a line break") != std::string::npos);
    CHECK(w.providerPairs().size() == kContacts);

    // A FIFO nobody writes to: refused at once instead of blocking the run (and its lease).
    fs::remove(w.dir().file("people.csv"));
    REQUIRE(::mkfifo(w.dir().file("people.csv").c_str(), 0600) == 0);
    const auto started = Clock::now();
    auto fifo = w.run({"sync", "--progress", "never"}, std::chrono::seconds(30));
    INFO(said(fifo));
    CHECK(fifo.exit_code == 69);
    CHECK(Clock::now() - started < std::chrono::seconds(10));
    CHECK(said(fifo).find("not a regular file") != std::string::npos);
    CHECK(w.providerPairs().size() == kContacts);
  }

  TEST_CASE("a provider that refuses connections stops the run within seconds with one line") {
    WorkspaceOptions o;
    o.concurrency = 8;
    o.extra_provider = "max_attempts = 6\nbackoff_initial_ms = 200\nbackoff_max_ms = 2000\n";
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 3000));
    // Point the config at a port nobody listens on.
    const std::string config = slurp(w.dir().file("mobisync.toml"));
    const std::string url = w.sim().baseUrl();
    std::string down = config;
    down.replace(down.find(url), url.size(), "http://127.0.0.1:" + std::to_string(closedPort()));
    w.dir().write("mobisync.toml", down);

    const auto started = Clock::now();
    auto r = w.run({"sync", "--progress", "never"});
    const auto took = Clock::now() - started;
    INFO(said(r));
    CHECK(r.exit_code == 69);
    // Before: every call retried 6 times with backoff, about 23 minutes for 3,000 contacts.
    CHECK(took < std::chrono::seconds(15));
    CHECK(said(r).find("gave no answer to 5 calls in a row") != std::string::npos);
    CHECK(said(r).find("connection refused") != std::string::npos);
    CHECK(said(r).find("3000 rows read, 0 rejected.") != std::string::npos);
    // Calls not made are planned again, not rejected rows.
    CHECK(lines(slurp(w.dir().file("people.rejects.csv"))) == 1);
    CHECK(lastRunLine(w).find("failed") != std::string::npos);
    CHECK(w.statePairs().empty());
  }

  TEST_CASE("wrong credentials stop at once with exit 77 and leave only bad rows in the file") {
    WorkspaceOptions o;
    o.password = "not-the-password";
    SyncWorkspace w(o);
    std::string csv = contactsCsv(0, 3000);
    csv += "12,Too Short,R-bad,\n";
    w.writeCsv(csv);
    auto r = w.run({"sync", "--progress", "never"});
    INFO(said(r));
    CHECK(r.exit_code == 77);
    CHECK(said(r).find("refused the credentials") != std::string::npos);
    CHECK(said(r).find("1 rejected") != std::string::npos);
    const std::string rejects = slurp(w.dir().file("people.rejects.csv"));
    CHECK(lines(rejects) == 2);  // the header and the one bad row
    CHECK(rejects.find("Too Short") != std::string::npos);
    CHECK(rejects.find("credentials") == std::string::npos);
    CHECK(w.calls().size() <= 4);  // the calls in flight when the first 401 came back
    CHECK(lastRunLine(w).find("failed") != std::string::npos);
    CHECK(said(r).find("not-the-password") == std::string::npos);
  }

  TEST_CASE("a run whose every call was refused is recorded as failed, not succeeded") {
    WorkspaceOptions o;
    o.sim.extra_args = {"--reject-msisdn", "44"};  // every number answered 400
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 20));
    auto r = w.run({"sync", "--progress", "never"});
    INFO(said(r));
    CHECK(r.exit_code == 76);
    CHECK(said(r).find("Job \"people\" failed") != std::string::npos);
    CHECK(said(r).find("0 of 20 planned calls confirmed") != std::string::npos);
    const std::string run = lastRunLine(w);
    CHECK(run.find("failed") != std::string::npos);
    CHECK(run.find("succeeded") == std::string::npos);
    auto show = w.run({"state", "show"});
    CHECK(show.out.find("the provider refused 20 subscriptions") != std::string::npos);
    // The reject file names each refused number, once.
    CHECK(lines(slurp(w.dir().file("people.rejects.csv"))) == 1 + 20);
  }

  TEST_CASE("an answer that is not the proxy API stops the run as unavailable, not as refusals") {
    for (const char* body : {"array", "huge"}) {
      CAPTURE(body);
      WorkspaceOptions o;
      o.sim.extra_args = {"--proxy-body", body};
      SyncWorkspace w(o);
      w.writeCsv(contactsCsv(0, 40));
      auto r = w.run({"sync", "--progress", "never"});
      INFO(said(r));
      CHECK(r.exit_code == 69);
      CHECK(said(r).find(std::string(body) == "array" ? "JSON body that is not an object"
                                                      : "not the contacts proxy API") !=
            std::string::npos);
      CHECK(said(r).find("Job \"people\" failed") != std::string::npos);
      CHECK(lastRunLine(w).find("failed") != std::string::npos);
      // The calls in flight reached the provider, the rest were never sent; none is recorded.
      CHECK(w.calls().size() <= 4);
      CHECK(w.statePairs().empty());
      CHECK(lines(slurp(w.dir().file("people.rejects.csv"))) == 1);
    }
  }

  TEST_CASE("a refused TLS certificate fails the run with exit 69, the documented code") {
    TempDir certs;
    const auto cert = mobisync::test::makeSelfSignedCertificate(certs);
    WorkspaceOptions o;
    o.sim.tls_cert = cert.cert_file;
    o.sim.tls_key = cert.key_file;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 50));
    auto r = w.run({"sync", "--progress", "never"});
    INFO(said(r));
    CHECK(r.exit_code == 69);
    CHECK(said(r).find("certificate") != std::string::npos);
    CHECK(said(r).find("0 rejected") != std::string::npos);
    CHECK(lastRunLine(w).find("failed") != std::string::npos);
  }

  TEST_CASE("a ca_file that cannot be read is a config error (78), not refused calls") {
    TempDir certs;
    const auto cert = mobisync::test::makeSelfSignedCertificate(certs);
    WorkspaceOptions o;
    o.sim.tls_cert = cert.cert_file;
    o.sim.tls_key = cert.key_file;
    o.extra_provider = "ca_file = \"" + certs.path() + "/missing.pem\"\n";
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 10));
    auto r = w.run({"sync", "--progress", "never"});
    INFO(said(r));
    CHECK(r.exit_code == 78);
    CHECK(said(r).find("missing.pem") != std::string::npos);
    CHECK(said(r).find("0 rejected") != std::string::npos);
    CHECK(w.calls().empty());
  }

  TEST_CASE("max_run_seconds stops a slow run cleanly: confirmed calls kept, exit 75") {
    WorkspaceOptions o;
    o.concurrency = 1;
    o.sim.latency_ms = 100;
    o.extra_job = "max_run_seconds = 1\n";
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, 40));  // 40 calls of 100 ms each, one at a time: 4 s
    const auto started = Clock::now();
    auto r = w.run({"sync", "--progress", "never"});
    const auto took = Clock::now() - started;
    INFO(said(r));
    CHECK(r.exit_code == 75);
    CHECK(took < std::chrono::seconds(5));
    CHECK(said(r).find("max_run_seconds = 1 reached") != std::string::npos);
    CHECK(lastRunLine(w).find("partial") != std::string::npos);
    // What the provider confirmed is recorded, nothing else.
    const auto state = w.statePairs();
    CHECK(!state.empty());
    CHECK(state == w.providerPairs());
    // Without the limit the next run finishes the job.
    w.options().extra_job.clear();
    w.writeConfig();
    auto rest = w.run({"sync", "--progress", "never"});
    CHECK(rest.exit_code == 0);
    CHECK(w.providerPairs().size() == 40);
  }
}
