// SPDX-License-Identifier: Apache-2.0
// max_delete arithmetic and exit-code precedence.
#include <doctest/doctest.h>

#include "config/app_config.hpp"
#include "sync/job_report.hpp"

using mobisync::config::MaxDelete;
namespace sync = mobisync::sync;

TEST_SUITE("core.gates") {
  TEST_CASE("a percentage allows that share of the current pairs, rounded down") {
    MaxDelete m{true, 10.0};
    CHECK(m.allowed(100) == 10);
    CHECK(m.allowed(15) == 1);
    CHECK(m.allowed(9) == 0);
    CHECK(m.text() == "10%");
  }

  TEST_CASE("a count allows exactly that many") {
    MaxDelete m{false, 25};
    CHECK(m.allowed(1000000) == 25);
    CHECK(m.allowed(3) == 25);
    CHECK(m.text() == "25");
  }

  TEST_CASE("several jobs exit with the most serious code") {
    CHECK(sync::worseExit(sync::kExitOk, sync::kExitBlocked) == sync::kExitBlocked);
    CHECK(sync::worseExit(sync::kExitBlocked, sync::kExitUnavailable) == sync::kExitUnavailable);
    CHECK(sync::worseExit(sync::kExitConfig, sync::kExitUnavailable) == sync::kExitConfig);
    CHECK(sync::worseExit(sync::kExitOk, sync::kExitOk) == sync::kExitOk);
  }

  TEST_CASE("a blocked job exits 65, a failed source 69, refused calls 76") {
    sync::JobReport r;
    r.outcome = sync::JobOutcome::Blocked;
    CHECK(sync::exitCodeFor(r) == 65);
    r.outcome = sync::JobOutcome::Failed;
    r.status = mobisync::Status::io("source broke");
    CHECK(sync::exitCodeFor(r) == 69);
    r.status = mobisync::Status::invalidConfig("bad key");
    CHECK(sync::exitCodeFor(r) == 78);
    sync::JobReport ok;
    ok.failed = 2;
    CHECK(sync::exitCodeFor(ok) == 76);
  }
}
