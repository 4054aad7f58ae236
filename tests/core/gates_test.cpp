// SPDX-License-Identifier: Apache-2.0
// max_delete arithmetic and exit-code precedence.
#include <doctest/doctest.h>

#include "config/app_config.hpp"
#include "sync/job_report.hpp"

using mobisync::config::MaxDelete;
namespace ms = mobisync::sync;

TEST_SUITE("core.gates") {
  TEST_CASE("a percentage allows that share of the current pairs rounded down") {
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
    CHECK(ms::worseExit(ms::kExitOk, ms::kExitBlocked) == ms::kExitBlocked);
    CHECK(ms::worseExit(ms::kExitBlocked, ms::kExitUnavailable) == ms::kExitUnavailable);
    CHECK(ms::worseExit(ms::kExitConfig, ms::kExitUnavailable) == ms::kExitConfig);
    CHECK(ms::worseExit(ms::kExitOk, ms::kExitOk) == ms::kExitOk);
  }

  TEST_CASE("a blocked job exits 65 and a failed source 69 and refused calls 76") {
    ms::JobReport r;
    r.outcome = ms::JobOutcome::Blocked;
    CHECK(ms::exitCodeFor(r) == 65);
    r.outcome = ms::JobOutcome::Failed;
    r.status = mobisync::Status::io("source broke");
    CHECK(ms::exitCodeFor(r) == 69);
    r.status = mobisync::Status::invalidConfig("bad key");
    CHECK(ms::exitCodeFor(r) == 78);
    ms::JobReport ok;
    ok.failed = 2;
    CHECK(ms::exitCodeFor(ok) == 76);
  }
}
