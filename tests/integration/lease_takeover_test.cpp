// SPDX-License-Identifier: Apache-2.0
// A sync against a lease another process holds: it exits 75 naming the holder, and a sync whose
// lease is taken over mid-job stops with lease lost and records nothing after.
#include <doctest/doctest.h>

#include "lease_daemons_fixture.hpp"

using namespace lease_fixture;

TEST_SUITE("integration.lease") {
  TEST_CASE("sync exits 75 naming the holder while another process holds the job's lease") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", people(5));
    SharedState state;
    state.toml = "path = \"state.db\"\n";
    state.location.path = dir.path() + "/state.db";
    const std::string cfg = dir.write("mobisync.toml", config(sim, state));
    const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    {
      mobisync::state::StateStore store(state.location);
      REQUIRE(mobisync::state::LeaseStore(store)
                  .tryAcquire("people", "other-host:4242:0badf00d", 600000, now_ms)
                  .has_value());
    }
    auto r = mobisync::test::runProcess({mobisync::test::mobisyncBinary(), "sync", "-c", cfg},
                                        {{"MOBIVATE_PASSWORD", "demo-secret"}});
    CHECK(r.exit_code == 75);
    CHECK(r.out.find("Job \"people\" skipped") != std::string::npos);
    CHECK(r.out.find("being applied by other-host:4242:0badf00d") != std::string::npos);
    CHECK(r.out.find("expires at") != std::string::npos);
    CHECK(r.err.find("lease") != std::string::npos);
    CHECK(r.err.find("other-host:4242:0badf00d") != std::string::npos);
    // Nothing was read, applied or recorded.
    CHECK(sim.subscriptions().empty());
    CHECK(runsOldestFirst(state).empty());
    auto shown = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "state", "show", "-c", cfg},
        {{"MOBIVATE_PASSWORD", "demo-secret"}});
    CHECK(shown.out.find("job people: held by other-host:4242:0badf00d (token 1) until") !=
          std::string::npos);
  }

  TEST_CASE("a sync whose lease is taken over stops with lease lost and records nothing after") {
    mobisync::test::SimulatorOptions slow;
    slow.latency_ms = 100;
    SimulatorProcess sim(slow);
    TempDir dir;
    dir.write("people.csv", people(kAllRows));
    SharedState state;
    state.toml = "path = \"state.db\"\n";
    state.location.path = dir.path() + "/state.db";
    const std::string cfg = dir.write("mobisync.toml", config(sim, state));
    ChildProcess sync({mobisync::test::mobisyncBinary(), "sync", "-c", cfg, "--progress", "never"},
                      {{"MOBIVATE_PASSWORD", "demo-secret"}}, dir.path());
    REQUIRE_MESSAGE(eventually([&] { return sim.subscriptions().size() >= 20 || !sync.running(); }),
                    sync.readStderr());
    REQUIRE(sync.running());
    // Another process takes the job as if the sync's lease had run out (its clock an hour on).
    std::int64_t pairs_at_takeover = 0;
    {
      mobisync::state::StateStore store(state.location);
      const std::int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count() +
                                 3600000;
      REQUIRE(mobisync::state::LeaseStore(store)
                  .tryAcquire("people", "thief:1:00000001", 600000, later)
                  .has_value());
      pairs_at_takeover = store.countPairs("people");
    }
    auto code = sync.waitFor(std::chrono::seconds(60));
    REQUIRE(code.has_value());
    CHECK(*code != 0);
    const std::string out = sync.readStdout() + sync.readStderr();
    CHECK(out.find("lease lost") != std::string::npos);
    CHECK(out.find("thief:1:00000001") != std::string::npos);
    // The job stopped long before the end, and nothing was recorded after the takeover.
    CHECK(sim.subscriptions().size() < static_cast<std::size_t>(kAllRows));
    mobisync::state::StateStore store(state.location);
    CHECK(store.countPairs("people") == pairs_at_takeover);
    auto runs = runsOldestFirst(state);
    REQUIRE(runs.size() == 1);
    CHECK(runs.front().outcome == "running");
  }
}
