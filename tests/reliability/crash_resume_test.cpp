// SPDX-License-Identifier: Apache-2.0
// Crash-resume: the real `mobisync sync` against the real simulator, SIGKILLed at random points
// while it applies a 20,000-contact CSV source, then re-run until it exits 0. Whatever the kill
// points, the provider must end equal to the source and to the state, and a call may only be
// repeated if the kill caught it unrecorded: applied at the provider, not yet in the state.
// MOBISYNC_CRASH_SEED=<n> replays a run's kill points (the seed is printed).
#include <doctest/doctest.h>

#include <random>

#include "reliability/crash_harness.hpp"

using mobisync::test::checkConverged;
using mobisync::test::contactsCsv;
using mobisync::test::crashSeed;
using mobisync::test::killRepeatedly;
using mobisync::test::lastSeq;
using mobisync::test::msisdnOf;
using mobisync::test::PairSet;
using mobisync::test::resumeToEnd;
using mobisync::test::SyncWorkspace;
using mobisync::test::WorkspaceOptions;

namespace {

constexpr int kContacts = 20000;
constexpr int kConcurrency = 4;

std::string changedApplications(int i) {
  return i % 10 == 1 ? "contacts:42;optouts:calls" : "contacts:42";
}

}  // namespace

TEST_SUITE("reliability.crash_resume") {
  TEST_CASE("sync killed at random points converges to the source and repeats only in-flight calls") {
    const std::uint64_t seed = crashSeed();
    MESSAGE("crash seed " << seed << " (replay with MOBISYNC_CRASH_SEED=" << seed << ")");
    std::mt19937_64 rng(seed);

    WorkspaceOptions o;
    o.sim.latency_ms = 2;
    o.sim.seed = static_cast<unsigned>(seed);
    o.concurrency = kConcurrency;
    o.extra_job = std::string("max_delete = \"100%\"\n") + mobisync::test::kShortLease;
    SyncWorkspace w(o);

    // 1. Creates: 20,000 contacts from nothing, killed 20 times.
    w.writeCsv(contactsCsv(0, kContacts));
    PairSet desired;
    for (int i = 0; i < kContacts; ++i) desired.insert(msisdnOf(i) + " contacts:42");
    long from = lastSeq(w);
    auto kills = killRepeatedly(w, rng, 20, kContacts);
    CHECK(kills.size() >= 20);
    resumeToEnd(w);
    checkConverged(w, desired, kills, from);

    // 2. The source changes: a quarter of the rows go (removals), a tenth of the rest gain an
    //    application (creates), all applied under kills.
    const int kept = kContacts * 3 / 4;
    w.writeCsv(contactsCsv(0, kept, changedApplications));
    desired.clear();
    long expected_calls = kContacts - kept;
    for (int i = 0; i < kept; ++i) {
      desired.insert(msisdnOf(i) + " contacts:42");
      if (changedApplications(i) != "contacts:42") {
        desired.insert(msisdnOf(i) + " optouts:calls");
        ++expected_calls;
      }
    }
    from = lastSeq(w);
    auto more = killRepeatedly(w, rng, 8, expected_calls);
    CHECK(more.size() >= 8);
    resumeToEnd(w);
    checkConverged(w, desired, more, from);
  }
}
