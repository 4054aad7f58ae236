// SPDX-License-Identifier: Apache-2.0
// The gate stage's decisions from a plan's counts and the source's, without a run.
#include <doctest/doctest.h>

#include <string>

#include "config/app_config.hpp"
#include "sync/gate_stage.hpp"

namespace ms = mobisync::sync;

namespace {

ms::Plan planWith(std::int64_t state_pairs, std::int64_t remove_pairs,
                  std::int64_t desired_contacts = 5) {
  ms::Plan p;
  p.summary.state_pairs = state_pairs;
  p.summary.remove_pairs = remove_pairs;
  p.summary.desired_contacts = desired_contacts;
  return p;
}

mobisync::config::JobConfig job() {
  mobisync::config::JobConfig j;
  j.name = "staff";
  j.max_delete = {false, 3};
  j.max_reject = {false, 2};
  return j;
}

}  // namespace

TEST_SUITE("core.gate_stage") {
  TEST_CASE("removals within max_delete pass, one more is held unless forced") {
    CHECK(ms::gateReason(planWith(100, 3), job(), {}, {10, 0, 0}, "").empty());
    const std::string reason = ms::gateReason(planWith(100, 4), job(), {}, {10, 0, 0}, "");
    CHECK(reason.find("4 removals exceed max_delete = 3 of 100 subscriptions") == 0);
    CHECK(reason.find("`mobisync plan staff`") != std::string::npos);
    CHECK(ms::gateReason(planWith(100, 4), job(), {true, false}, {10, 0, 0}, "").empty());
  }

  TEST_CASE("an empty snapshot source never removes everything") {
    const ms::Plan empty = planWith(7, 7, 0);
    const std::string reason = ms::gateReason(empty, job(), {true, false}, {2, 2, 0}, "");
    CHECK(reason.find("the source returned no contacts (2 rows rejected)") == 0);
    CHECK(reason.find("the job's 7 subscriptions") != std::string::npos);
    CHECK(ms::gateReason(empty, job(), {true, true}, {0, 0, 0}, "").empty());
    ms::Plan incremental = empty;
    incremental.incremental = true;  // no changes since the cursor: the normal case
    CHECK(ms::gateReason(incremental, job(), {true, false}, {0, 0, 0}, "").empty());
  }

  TEST_CASE("unreadable numbers over max_reject hold removals, and only removals") {
    const std::string reason =
        ms::gateReason(planWith(100, 1), job(), {}, {50, 3, 3}, "/var/rejects.csv");
    CHECK(reason.find("3 of 50 rows have a phone number that cannot be read, over max_reject "
                      "= 2 (at most 2)") == 0);
    CHECK(reason.find("See the rejected rows in /var/rejects.csv,") != std::string::npos);
    CHECK(ms::gateReason(planWith(100, 1), job(), {}, {50, 2, 2}, "").empty());
    CHECK(ms::gateReason(planWith(100, 0), job(), {}, {50, 9, 9}, "").empty());
    CHECK(ms::gateReason(planWith(100, 1), job(), {true, false}, {50, 9, 9}, "").empty());
  }

  TEST_CASE("holding removals drops them and the entries left with nothing to do") {
    ms::Plan p;
    ms::PlanEntry only_remove;
    only_remove.msisdn = "1";
    only_remove.remove = {"contacts:1", "contacts:2"};
    only_remove.release = {"contacts:3"};
    ms::PlanEntry add_and_remove;
    add_and_remove.msisdn = "2";
    add_and_remove.add = {"contacts:1"};
    add_and_remove.remove = {"contacts:2"};
    p.entries = {only_remove, add_and_remove};
    CHECK(ms::holdRemovals(p) == 4);
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].msisdn == "2");
    CHECK(p.entries[0].remove.empty());
    CHECK(p.entries[0].add.size() == 1);
  }
}
