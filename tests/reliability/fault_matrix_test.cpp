// SPDX-License-Identifier: Apache-2.0
// Fault matrix: the same source synced against the simulator with one kind of fault per case.
// Each case must end with the provider in the same state as a clean run, and the run's counters
// must match what the simulator saw: every retry reported is a faulted attempt at the provider,
// and every permanent refusal is reported per contact (reject file) and tried exactly once.
#include <doctest/doctest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "reliability/sync_workspace.hpp"

using mobisync::test::contactsCsv;
using mobisync::test::LoggedCall;
using mobisync::test::msisdnOf;
using mobisync::test::PairSet;
using mobisync::test::SyncWorkspace;
using mobisync::test::WorkspaceOptions;

namespace {

/// The result block of `sync --format json` for the one job.
struct Counters {
  long calls = 0;
  long added = 0;
  long failed = 0;
  long retries = 0;
  int exit_code = 0;
  std::string log;
};

Counters syncJson(SyncWorkspace& w) {
  auto r = w.run({"sync", "--format", "json", "--progress", "never"});
  INFO(r.out << r.err);
  Counters c;
  c.exit_code = r.exit_code;
  c.log = r.err;
  auto root = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  auto job = root->getArray("jobs")->getObject(0);
  auto result = job->getObject("result");
  c.calls = result->getValue<long>("calls");
  c.added = result->getValue<long>("added");
  c.failed = result->getValue<long>("failed");
  c.retries = result->getValue<long>("retries");
  return c;
}

/// A provider option block that lets faults be retried quickly and often enough that a 30%
/// failure rate cannot exhaust the attempts (0.3^12 per call).
const char* kPatientProvider =
    "max_attempts = 12\nbackoff_initial_ms = 5\nbackoff_max_ms = 1000\ntimeout_ms = 1000\n";

constexpr int kContacts = 120;

/// Waits until the simulator's log stops growing for longer than the longest stall.
void waitForQuietSimulator(SyncWorkspace& w) {
  long last = -1;
  for (int i = 0; i < 20; ++i) {
    const long now = static_cast<long>(w.calls().size());
    if (now == last) return;
    last = now;
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  }
}

PairSet cleanRunPairs() {
  static const PairSet pairs = [] {
    WorkspaceOptions o;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, kContacts));
    auto c = syncJson(w);
    REQUIRE(c.exit_code == 0);
    return w.providerPairs();
  }();
  return pairs;
}

/// Runs the source against a simulator started with `sim_args` and checks the final state and
/// that retries reported equal the faulted attempts the simulator logged. A reset on a reused
/// keep-alive connection is sent again at once on a fresh one (the stale-connection race), and
/// that re-send counts as a retry like any other. With `retry_reason`, the run logs at debug
/// level and must name that reason for its retries.
void checkFaultCase(std::vector<std::string> sim_args, const std::string& retry_reason = "") {
  WorkspaceOptions o;
  if (!retry_reason.empty()) o.log_level = "debug";
  o.sim.extra_args = std::move(sim_args);
  o.sim.seed = 7;
  o.extra_provider = kPatientProvider;
  SyncWorkspace w(o);
  w.writeCsv(contactsCsv(0, kContacts));
  Counters c = syncJson(w);
  // A stalled answer is logged when the simulator gives up on it, after the client did.
  waitForQuietSimulator(w);
  CHECK(c.exit_code == 0);
  CHECK(c.failed == 0);
  CHECK(c.added == kContacts);
  CHECK(w.providerPairs() == cleanRunPairs());
  CHECK(w.statePairs() == cleanRunPairs());

  long faulted = 0;
  long answered = 0;
  for (const LoggedCall& call : w.calls()) {
    if (call.fault != "none") {
      ++faulted;
    } else {
      ++answered;
    }
  }
  MESSAGE("calls " << c.calls << ", retries reported " << c.retries << ", faulted attempts "
                   << faulted);
  CHECK(faulted > 0);  // the case really injected its fault
  CHECK(c.retries == faulted);
  CHECK(answered == c.calls);
  if (!retry_reason.empty()) {
    CHECK(c.log.find(retry_reason) != std::string::npos);
  }
  // A second run finds nothing to do: the faults left no half-recorded call behind.
  CHECK(w.run({"plan"}).out.find("nothing to change") != std::string::npos);
}

}  // namespace

TEST_SUITE("reliability.faults") {
  TEST_CASE("30 percent HTTP 500 ends like a clean run with every retry counted") {
    checkFaultCase({"--error-rate", "0.3"});
  }

  TEST_CASE("429 answers with Retry-After end like a clean run with every retry counted") {
    checkFaultCase({"--rate-429", "0.2", "--retry-after", "1"});
  }

  TEST_CASE("connection resets end like a clean run with every retry counted") {
    checkFaultCase({"--reset-rate", "0.3"});
  }

  TEST_CASE("2 s stalls beyond timeout_ms end like a clean run with every retry counted") {
    checkFaultCase({"--stall-ms", "2000", "--stall-rate", "0.1"});
  }

  TEST_CASE("truncated JSON answers end like a clean run with every retry counted") {
    checkFaultCase({"--truncate-rate", "0.3"}, "response body truncated (");
  }

  TEST_CASE("a permanent 4xx is reported per contact and tried once per run") {
    WorkspaceOptions o;
    // Contacts 0..9 (44793000000N) are refused with 400 by the simulator.
    o.sim.extra_args = {"--reject-msisdn", "44793000000"};
    o.extra_provider = kPatientProvider;
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, kContacts));
    Counters c = syncJson(w);
    CHECK(c.exit_code == 76);  // the provider refused some calls
    CHECK(c.failed == 10);
    CHECK(c.retries == 0);
    CHECK(c.added == kContacts - 10);

    std::map<std::string, int> tries;
    for (const LoggedCall& call : w.calls()) ++tries[call.msisdn];
    for (int i = 0; i < 10; ++i) {
      CAPTURE(i);
      CHECK(tries[msisdnOf(i)] == 1);
    }
    // One reject line per refused contact, naming the provider's reason.
    std::ifstream in(w.dir().file("people.rejects.csv"));
    std::stringstream rejects;
    rejects << in.rdbuf();
    for (int i = 0; i < 10; ++i) {
      CAPTURE(i);
      CHECK(rejects.str().find(msisdnOf(i)) != std::string::npos);
    }
    CHECK(rejects.str().find("msisdn rejected") != std::string::npos);

    PairSet expected;
    for (const auto& p : cleanRunPairs()) {
      if (p.rfind("44793000000", 0) != 0) expected.insert(p);
    }
    CHECK(w.providerPairs() == expected);
    CHECK(w.statePairs() == expected);

    // The next run tries the refused ones again, once each, and no others.
    Counters again = syncJson(w);
    CHECK(again.exit_code == 76);
    CHECK(again.calls == 10);
    CHECK(again.retries == 0);
  }
}
