// SPDX-License-Identifier: Apache-2.0
// Tests of StateStore against real SQLite files in a temp dir and in memory, and the same
// behaviour on a real PostgreSQL database: pairs, jobs, runs and the number memo.
#include <doctest/doctest.h>

#include "state_store_fixture.hpp"

using namespace state_store_fixture;

TEST_SUITE("core.state") {
  TEST_CASE("upsert then erase leaves exactly the pairs not erased") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000002", "contacts:1", "Bo", "r2"),
                        upsert("61400000001", "contacts:1", "Al", "r1"),
                        upsert("61400000001", "appointments", "Al", "r1")});
    CHECK(flat(store.pairs("crm")) == std::vector<std::string>{
                                          "61400000001|appointments|Al|r1",
                                          "61400000001|contacts:1|Al|r1",
                                          "61400000002|contacts:1|Bo|r2",
                                      });
    CHECK(store.countPairs("crm") == 3);

    store.apply("crm", {erase("61400000001", "contacts:1"), erase("61400000009", "contacts:1")});
    CHECK(flat(store.pairs("crm")) == std::vector<std::string>{
                                          "61400000001|appointments|Al|r1",
                                          "61400000002|contacts:1|Bo|r2",
                                      });
    CHECK(store.countPairs("crm") == 2);
  }

  TEST_CASE("upsert of a recorded pair updates its name and reference") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1", "Al", "r1")});
    store.apply("crm", {upsert("61400000001", "contacts:1", "Alice", "r-new")});
    CHECK(flat(store.pairs("crm")) ==
          std::vector<std::string>{"61400000001|contacts:1|Alice|r-new"});
    CHECK(store.countPairs("crm") == 1);
  }

  TEST_CASE("changes in one batch apply in order when they touch the same pair") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1", "Al"), erase("61400000001", "contacts:1"),
                        upsert("61400000002", "contacts:1", "Bo"),
                        upsert("61400000002", "contacts:1", "Bob")});
    CHECK(flat(store.pairs("crm")) == std::vector<std::string>{"61400000002|contacts:1|Bob|"});
  }

  TEST_CASE("forEachPair streams pairs ordered by msisdn then application across steps") {
    StateStore store(mobisync::test::eachStateBackend());
    // 25,000 rows span three read steps of 10,000. They are generated in the expected order and
    // inserted shuffled, so the order seen can only come from the query.
    const std::string applications[] = {"appointments", "contacts:1", "contacts:10"};
    std::vector<PairRow> expected;
    expected.reserve(25000);
    for (int i = 0; expected.size() < 25000; ++i) {
      const std::string msisdn = "614" + std::to_string(10000000 + i * 3);
      // 1, 2 or 3 applications per number, so step boundaries fall inside a number's run too.
      for (int a = 0; a <= i % 3 && expected.size() < 25000; ++a) {
        expected.push_back({msisdn, applications[a], "n" + std::to_string(i), "r"});
      }
    }
    std::vector<PairRow> shuffled = expected;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(42));
    for (std::size_t begin = 0; begin < shuffled.size(); begin += 500) {
      std::vector<PairChange> batch;
      for (std::size_t i = begin; i < std::min(begin + 500, shuffled.size()); ++i) {
        batch.push_back({PairChange::Kind::Upsert, shuffled[i]});
      }
      store.apply("big", batch);
    }
    store.apply("other", {upsert("610", "contacts:1"), upsert("619", "contacts:1")});

    std::size_t seen = 0, misplaced = 0;
    store.forEachPair("big", [&](PairRow&& row) {
      const PairRow* want = seen < expected.size() ? &expected[seen] : nullptr;
      if (want == nullptr || row.msisdn != want->msisdn || row.application != want->application ||
          row.name != want->name || row.reference != want->reference) {
        ++misplaced;
      }
      ++seen;
    });
    CHECK(seen == 25000);
    CHECK(misplaced == 0);
    CHECK(store.countPairs("big") == 25000);
  }

  TEST_CASE("forEachPair of a job without pairs calls nothing") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1")});
    int calls = 0;
    store.forEachPair("ldap", [&calls](PairRow&&) { ++calls; });
    CHECK(calls == 0);
    CHECK(store.pairs("ldap").empty());
    CHECK(store.countPairs("ldap") == 0);
  }

  TEST_CASE("jobs are isolated from each other") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1", "Al (crm)"),
                        upsert("61400000002", "contacts:1", "Bo")});
    store.apply("ldap", {upsert("61400000001", "contacts:1", "Al (ldap)")});
    store.apply("crm", {erase("61400000001", "contacts:1")});
    CHECK(flat(store.pairs("crm")) == std::vector<std::string>{"61400000002|contacts:1|Bo|"});
    CHECK(flat(store.pairs("ldap")) ==
          std::vector<std::string>{"61400000001|contacts:1|Al (ldap)|"});
    CHECK(store.countPairs("crm") == 1);
    CHECK(store.countPairs("ldap") == 1);
  }

  TEST_CASE("heldByOtherJobs tells which candidates another job holds") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1")});
    store.apply("ldap", {upsert("61400000001", "contacts:1"), upsert("61400000002", "contacts:1")});
    const Pairs candidates = {{"61400000001", "contacts:1"},
                              {"61400000002", "contacts:1"},
                              {"61400000002", "contacts:2"},
                              {"61400000003", "contacts:1"}};
    CHECK(store.heldByOtherJobs("crm", candidates) == std::vector<bool>{true, true, false, false});
    CHECK(store.heldByOtherJobs("ldap", candidates) ==
          std::vector<bool>{true, false, false, false});
    CHECK(store.heldByOtherJobs("csv", candidates) == std::vector<bool>{true, true, false, false});
    CHECK(store.heldByOtherJobs("crm", {}).empty());
  }

  TEST_CASE("resetJob removes that job's pairs only and returns how many") {
    StateStore store(mobisync::test::eachStateBackend());
    store.apply("crm", {upsert("61400000001", "contacts:1"), upsert("61400000002", "contacts:1")});
    store.apply("ldap", {upsert("61400000001", "contacts:1")});
    CHECK(store.resetJob("crm") == 2);
    CHECK(store.countPairs("crm") == 0);
    CHECK(store.countPairs("ldap") == 1);
    CHECK(store.resetJob("crm") == 0);
  }

  TEST_CASE("jobs lists each job with pairs or runs once and in order") {
    StateStore store(mobisync::test::eachStateBackend());
    CHECK(store.jobs().empty());
    store.apply("zeta", {upsert("61400000001", "contacts:1")});
    store.apply("crm", {upsert("61400000001", "contacts:1"), upsert("61400000002", "contacts:1")});
    (void)store.beginRun("ldap", "sync", 1000);
    (void)store.beginRun("crm", "sync", 2000);
    CHECK(store.jobs() == std::vector<std::string>{"crm", "ldap", "zeta"});
    // A reset job keeps its history, so it is still a job of this state.
    CHECK(store.resetJob("zeta") == 1);
    (void)store.beginRun("zeta", "dry-run", 3000);
    CHECK(store.jobs() == std::vector<std::string>{"crm", "ldap", "zeta"});
    CHECK(store.resetJob("crm") == 2);
    CHECK(store.jobs() == std::vector<std::string>{"crm", "ldap", "zeta"});
  }

  TEST_CASE("run history round-trips and lists newest first") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::int64_t first = store.beginRun("crm", "sync", 1000);
    const std::int64_t second = store.beginRun("ldap", "dry-run", 2000);
    const std::int64_t third = store.beginRun("crm", "sync", 3000);
    CHECK(first < second);
    CHECK(second < third);

    RunRecord done;
    done.id = first;
    done.job = "crm";
    done.mode = "sync";
    done.outcome = "succeeded";
    done.started_at_ms = 1000;
    done.ended_at_ms = 1500;
    done.fetched = 10;
    done.rejected = 1;
    done.added = 2;
    done.removed = 3;
    done.updated = 4;
    done.failed = 5;
    done.held = 6;
    done.message = "ok";
    store.finishRun(done);

    const std::vector<RunRecord> crm = store.runs("crm", 10);
    REQUIRE(crm.size() == 2);
    CHECK(flat(crm[0]) == std::vector<std::string>{std::to_string(third), "crm", "sync",
                                                   "running", "3000", "0", "0", "0", "0", "0",
                                                   "0", "0", "0", ""});
    CHECK(flat(crm[1]) == flat(done));

    const std::vector<RunRecord> all = store.runs("", 10);
    REQUIRE(all.size() == 3);
    CHECK(all[0].id == third);
    CHECK(all[1].id == second);
    CHECK(all[1].job == "ldap");
    CHECK(all[1].mode == "dry-run");
    CHECK(all[2].id == first);

    const std::vector<RunRecord> last = store.runs("", 1);
    REQUIRE(last.size() == 1);
    CHECK(last[0].id == third);
    CHECK(store.runs("csv", 10).empty());
  }

  TEST_CASE("finishing an unknown run is an error naming the run") {
    StateStore store(mobisync::test::eachStateBackend());
    RunRecord ghost;
    ghost.id = 42;
    ghost.outcome = "failed";
    CHECK(errorOf([&] { store.finishRun(ghost); }) ==
          "state " + store.path() + ": cannot record the end of run 42: no such run");
  }
}

TEST_SUITE("core.state") {
  TEST_CASE("the canonical number memo is kept per region and engine") {
    StateStore store(mobisync::test::eachStateBackend());
    store.addCanonicalNumbers("GB", "v1", {447930000002, 447930000001});
    store.addCanonicalNumbers("GB", "v1", {447930000001});  // already there: ignored
    store.addCanonicalNumbers("US", "v1", {12025550123});
    store.addCanonicalNumbers("GB", "v2", {447930000009});
    CHECK(store.canonicalNumbers("GB", "v1") ==
          std::vector<std::int64_t>{447930000001, 447930000002});
    CHECK(store.canonicalNumbers("GB", "v2") == std::vector<std::int64_t>{447930000009});
    CHECK(store.canonicalNumbers("FR", "v1").empty());
  }
}
