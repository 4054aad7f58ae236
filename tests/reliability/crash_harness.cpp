// SPDX-License-Identifier: Apache-2.0
#include "reliability/crash_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <map>
#include <thread>

namespace mobisync::test {

namespace {

/// Pairs in one set and not the other: what a kill left applied but unrecorded (or the reverse
/// for removals).
PairSet symmetricDifference(const PairSet& a, const PairSet& b) {
  PairSet out;
  for (const auto& p : a) {
    if (b.count(p) == 0) out.insert(p);
  }
  for (const auto& p : b) {
    if (a.count(p) == 0) out.insert(p);
  }
  return out;
}

/// The simulator's call count stops moving once the handlers of a killed client's calls end.
void waitForQuietSimulator(SyncWorkspace& w) {
  long last = w.callCount();
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    long now = w.callCount();
    if (now == last) return;
    last = now;
  }
}

/// Every (op, msisdn, application) the simulator answered 200 to since `from_seq`, counted.
std::map<std::string, int> appliedCalls(SyncWorkspace& w, long from_seq) {
  std::map<std::string, int> out;
  for (const auto& c : w.calls()) {
    if (c.seq <= from_seq || c.status != 200) continue;
    for (const auto& app : c.applications) ++out[c.op + " " + c.msisdn + " " + app];
  }
  return out;
}

/// A run refused because the job's lease is still held (by a run that was killed and whose lease
/// has not expired yet): not a failure of the run, only a reason to start it again shortly.
bool refusedForLease(int status, const std::string& err) {
  return status == 75 && err.find("lease") != std::string::npos;
}

constexpr auto kLeasePause = std::chrono::milliseconds(250);
constexpr int kMaxLeasePauses = 400;  // 100 s in all: several times any lease the tests set

}  // namespace

std::uint64_t crashSeed() {
  if (const char* s = std::getenv("MOBISYNC_CRASH_SEED"); s != nullptr && *s != '\0') {
    return std::strtoull(s, nullptr, 10);
  }
  return std::random_device{}();
}

std::vector<KillRecord> killRepeatedly(SyncWorkspace& w, std::mt19937_64& rng, int kills,
                                       long expected_calls) {
  const long concurrency = w.options().concurrency;
  std::vector<KillRecord> records;
  const long start = w.callCount();
  int lease_pauses = 0;
  for (int k = 0; k < kills; ++k) {
    const long done = w.callCount() - start;
    const long remaining = expected_calls - done;
    // Spread the kills over what is left, never closer than a few calls to the start of the
    // run (so it is applying) and never at its very end (so a kill, not the end, stops it).
    const long mean_gap = std::max<long>(remaining / (kills - k + 1), 4 * concurrency);
    std::uniform_int_distribution<long> gap(2 * concurrency, 2 * mean_gap);
    const long target = w.callCount() + std::min(gap(rng), remaining * 9 / 10);
    ChildProcess child(w.commandLine({"sync", "--progress", "never"}), w.environment(),
                       w.dir().path());
    bool exited = false;
    while (w.callCount() < target) {
      if (!child.running()) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (exited) {
      const int status = child.wait();
      if (refusedForLease(status, child.readStderr()) && ++lease_pauses < kMaxLeasePauses) {
        std::this_thread::sleep_for(kLeasePause);
        --k;  // the same kill again, once the lease is free
        continue;
      }
      MESSAGE("run " << k << " ended before its kill point with status " << status);
      break;
    }
    child.kill(SIGKILL);
    REQUIRE(child.wait() == -SIGKILL);
    waitForQuietSimulator(w);
    KillRecord r;
    r.calls_at_kill = w.callCount() - start;
    r.unrecorded = symmetricDifference(w.providerPairs(), w.statePairs());
    records.push_back(std::move(r));
  }
  return records;
}

void resumeToEnd(SyncWorkspace& w) {
  int lease_pauses = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = w.run({"sync", "--progress", "never"});
    if (r.exit_code == 0) return;
    if (refusedForLease(r.exit_code, r.err) && ++lease_pauses < kMaxLeasePauses) {
      std::this_thread::sleep_for(kLeasePause);
      --attempt;
      continue;
    }
    MESSAGE("resume attempt " << attempt << " exited " << r.exit_code << ": " << r.err);
  }
  FAIL("sync did not finish after the kills");
}

long lastSeq(SyncWorkspace& w) {
  auto calls = w.calls();
  return calls.empty() ? 0 : calls.back().seq;
}

void checkConverged(SyncWorkspace& w, const PairSet& desired,
                    const std::vector<KillRecord>& kills, long from_seq) {
  const PairSet provider = w.providerPairs();
  CHECK(provider.size() == desired.size());
  CHECK(provider == desired);  // every desired pair subscribed, nothing stale
  CHECK(w.statePairs() == provider);

  PairSet ever_unrecorded;
  std::size_t max_unrecorded = 0;
  std::size_t sum_unrecorded = 0;
  for (const auto& k : kills) {
    ever_unrecorded.insert(k.unrecorded.begin(), k.unrecorded.end());
    max_unrecorded = std::max(max_unrecorded, k.unrecorded.size());
    sum_unrecorded += k.unrecorded.size();
  }
  int repeated = 0;
  for (const auto& [call, n] : appliedCalls(w, from_seq)) {
    if (n <= 1) continue;
    repeated += n - 1;
    // A repeated call must be one that a kill caught applied but unrecorded; anything else was
    // recorded and still sent again.
    const std::string pair = call.substr(call.find(' ') + 1);
    INFO("repeated " << n << " times: " << call);
    CHECK(ever_unrecorded.count(pair) == 1);
  }
  MESSAGE(kills.size() << " kills; calls repeated after them: " << repeated
                       << "; unrecorded at a kill: at most " << max_unrecorded << ", in all "
                       << sum_unrecorded);
  CHECK(static_cast<std::size_t>(repeated) <= sum_unrecorded);
  // The goal is that only the calls in flight (one per connection) are unrecorded at a kill.
  // Answered calls also wait for the applier's group commit, and under load that queue holds
  // far more than `concurrency` (65 seen on a loaded 2-core machine), so this is a warning
  // until the applier bounds it; the exact attribution above is the hard check.
  WARN(max_unrecorded <= static_cast<std::size_t>(w.options().concurrency));

  auto plan = w.run({"plan"});
  CHECK(plan.out.find("nothing to change") != std::string::npos);
}

}  // namespace mobisync::test
