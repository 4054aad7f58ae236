// SPDX-License-Identifier: Apache-2.0
// Job leases on SQLite and PostgreSQL: acquisition, renewal, release and expiry with explicit
// times, tokens that only grow, and the fence that refuses a stale holder's writes.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "state/cursor_store.hpp"
#include "state/lease_store.hpp"
#include "state/state_store.hpp"
#include "support/state_backends.hpp"
#include "support/temp_dir.hpp"

namespace {

using mobisync::state::CursorStore;
using mobisync::state::LeaseLost;
using mobisync::state::LeaseStore;
using mobisync::state::PairChange;
using mobisync::state::StateStore;

constexpr std::int64_t kTtl = 2000;
constexpr std::int64_t kT0 = 1'800'000'000'000;  // any fixed instant: the store never reads a clock

PairChange upsert(const std::string& msisdn) {
  return {PairChange::Kind::Upsert, {msisdn, "contacts:42", "", ""}};
}

}  // namespace

TEST_SUITE("state.lease") {
  TEST_CASE("a free lease is taken and a running one is refused to another holder") {
    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    CHECK_FALSE(leases.find("people").has_value());

    auto a = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0);
    REQUIRE(a.has_value());
    CHECK(*a == 1);
    CHECK_FALSE(leases.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + kTtl - 1).has_value());
    // Another job's lease is independent.
    CHECK(leases.tryAcquire("orders", "host-b:2:bb", kTtl, kT0) == 1);

    auto row = leases.find("people");
    REQUIRE(row.has_value());
    CHECK(row->holder == "host-a:1:aa");
    CHECK(row->token == 1);
    CHECK(row->expires_at_ms == kT0 + kTtl);
    CHECK(row->acquired_at_ms == kT0);
    CHECK(leases.all().size() == 2);
  }

  TEST_CASE("renewal extends the lease and only the current token renews") {
    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    auto a = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0);
    REQUIRE(a.has_value());
    CHECK(leases.renew("people", *a, kTtl, kT0 + 1500));
    // Past the first expiry, but renewed: still refused to b.
    CHECK_FALSE(leases.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + 3000).has_value());
    CHECK(leases.find("people")->expires_at_ms == kT0 + 1500 + kTtl);
    CHECK_FALSE(leases.renew("people", *a + 1, kTtl, kT0 + 1600));
    CHECK_FALSE(leases.renew("nobody", 1, kTtl, kT0));
  }

  TEST_CASE("an expired lease goes to the next holder and the old token stops working") {
    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    auto a = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0);
    REQUIRE(a.has_value());
    // Expired but not yet taken: renewing is still safe, nobody else has written.
    CHECK(leases.renew("people", *a, kTtl, kT0 + kTtl + 10));
    auto b = leases.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + 2 * kTtl + 10);
    REQUIRE(b.has_value());
    CHECK(*b == *a + 1);
    CHECK(leases.find("people")->holder == "host-b:2:bb");
    CHECK_FALSE(leases.renew("people", *a, kTtl, kT0 + 2 * kTtl + 20));
    // a's late release must not free b's lease.
    leases.release("people", *a);
    CHECK_FALSE(leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0 + 2 * kTtl + 30).has_value());
  }

  TEST_CASE("the token grows across release and re-acquisition") {
    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    std::vector<std::int64_t> tokens;
    for (int i = 0; i < 4; ++i) {
      const std::string holder = i % 2 == 0 ? "host-a:1:aa" : "host-b:2:bb";
      auto t = leases.tryAcquire("people", holder, kTtl, kT0 + i);
      REQUIRE(t.has_value());
      tokens.push_back(*t);
      leases.release("people", *t);
      CHECK(leases.find("people")->expires_at_ms == 0);
    }
    CHECK(tokens == std::vector<std::int64_t>{1, 2, 3, 4});
    // The same holder taking its own running lease again also moves the token on, so a run it
    // abandoned cannot write under the new one.
    auto t5 = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0 + 10);
    auto t6 = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0 + 11);
    REQUIRE(t5.has_value());
    REQUIRE(t6.has_value());
    CHECK(*t6 == *t5 + 1);
  }

  TEST_CASE("a stale holder's writes are refused after another holder took over") {
    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    auto a = leases.tryAcquire("people", "host-a:1:aa", kTtl, kT0);
    REQUIRE(a.has_value());
    store.fenceJob("people", *a);
    const std::int64_t run = store.beginRun("people", "sync", kT0);
    store.apply("people", {upsert("447930000001")});
    CursorStore(store).save("people", "db", "10", "integer", kT0);

    // a stalls past its ttl; b takes the job.
    auto b = leases.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + kTtl);
    REQUIRE(b.has_value());
    try {
      store.apply("people", {upsert("447930000002")});
      FAIL("a write under a superseded token went through");
    } catch (const LeaseLost& e) {
      const std::string what = e.what();
      CHECK(what.find("lease lost") != std::string::npos);
      CHECK(what.find("host-b:2:bb") != std::string::npos);
    }
    CHECK_THROWS_AS(CursorStore(store).save("people", "db", "20", "integer", kT0 + kTtl),
                    LeaseLost);
    mobisync::state::RunRecord rec;
    rec.id = run;
    rec.job = "people";
    rec.outcome = "succeeded";
    rec.added = 2;
    CHECK_THROWS_AS(store.finishRun(rec), LeaseLost);
    CHECK_THROWS_AS(store.beginRun("people", "sync", kT0 + kTtl), LeaseLost);

    // Nothing of the refused writes is recorded.
    CHECK(store.countPairs("people") == 1);
    CHECK(CursorStore(store).load("people", "db")->value == "10");
    auto runs = store.runs("people", 10);
    REQUIRE(runs.size() == 1);
    CHECK(runs.front().outcome == "running");

    // Other jobs are not fenced, and b's token writes.
    store.apply("orders", {upsert("447930000003")});
    CHECK(store.countPairs("orders") == 1);
    store.fenceJob("people", *b);
    store.apply("people", {upsert("447930000002")});
    CHECK(store.countPairs("people") == 2);
    store.unfenceJob();
  }

  TEST_CASE("two connections to one SQLite file see one lease") {
    mobisync::test::TempDir dir;
    const std::string path = dir.path() + "/state.db";
    StateStore first(path);
    StateStore second(path);
    LeaseStore a(first), b(second);
    auto token = a.tryAcquire("people", "host-a:1:aa", kTtl, kT0);
    REQUIRE(token.has_value());
    CHECK_FALSE(b.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + 1).has_value());
    first.fenceJob("people", *token);
    first.apply("people", {upsert("447930000001")});
    CHECK(b.tryAcquire("people", "host-b:2:bb", kTtl, kT0 + kTtl) == *token + 1);
    CHECK_THROWS_AS(first.apply("people", {upsert("447930000002")}), LeaseLost);
    CHECK(second.countPairs("people") == 1);
  }

  TEST_CASE("a lease held by a process of this host that is gone is taken over at once") {
    // A real process that has exited and been reaped: its pid names no process any more.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) ::_exit(0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    const std::string& me = mobisync::state::processHolderId();
    const std::string host = me.substr(0, me.find(':'));
    const std::string suffix = me.substr(me.rfind(':') + 1);
    const std::string mark = suffix.substr(0, suffix.find('.'));
    const std::string dead = host + ":" + std::to_string(child) + ":" + mark + ".0000beef";
    CHECK(mobisync::state::holderIsDeadHere(dead));
    // Alive, this process itself, another host, another pid namespace or boot, garbage: no.
    CHECK_FALSE(mobisync::state::holderIsDeadHere(host + ":" + std::to_string(::getppid()) +
                                                  ":" + mark + ".0000beef"));
    CHECK_FALSE(mobisync::state::holderIsDeadHere(me));
    CHECK_FALSE(mobisync::state::holderIsDeadHere("elsewhere.example:" + std::to_string(child) +
                                                  ":" + mark + ".0000beef"));
    CHECK_FALSE(mobisync::state::holderIsDeadHere(host + ":" + std::to_string(child) +
                                                  ":00000000.0000beef"));
    CHECK_FALSE(mobisync::state::holderIsDeadHere("no colons"));
    CHECK_FALSE(mobisync::state::holderIsDeadHere(host + ":12x:" + mark + ".1"));

    StateStore store(mobisync::test::eachStateBackend());
    LeaseStore leases(store);
    REQUIRE(leases.tryAcquire("people", dead, kTtl, kT0) == 1);
    // Still running by its expiry, so another holder is refused...
    CHECK_FALSE(leases.tryAcquire("people", "b", kTtl, kT0 + 1).has_value());
    // ...but may take it from the dead holder, once: the second taker finds a new holder.
    CHECK(leases.tryTakeOver("people", dead, "b", kTtl, kT0 + 1) == 2);
    CHECK_FALSE(leases.tryTakeOver("people", dead, "c", kTtl, kT0 + 2).has_value());
    CHECK(leases.find("people")->holder == "b");
  }

  TEST_CASE("the holder id names the host and the process") {
    const std::string& id = mobisync::state::processHolderId();
    CHECK(id == mobisync::state::processHolderId());
    CHECK(id.find(":" + std::to_string(::getpid()) + ":") != std::string::npos);
    CHECK(id.size() > std::to_string(::getpid()).size() + 10);
  }
}
