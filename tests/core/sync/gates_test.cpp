// SPDX-License-Identifier: Apache-2.0
// max_delete arithmetic and exit-code precedence.
#include <doctest/doctest.h>

#include <string>

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
    ms::JobReport some;
    some.outcome = ms::JobOutcome::Partial;
    some.failed = 2;
    some.refused = 2;
    some.status = mobisync::Status::rejected("the provider refused 2 subscriptions");
    CHECK(ms::exitCodeFor(some) == 76);
  }

  TEST_CASE("an unconfirmed run exits with the cause: credentials 77, provider 69, stop 75") {
    ms::JobReport r;
    r.outcome = ms::JobOutcome::Failed;
    r.failed = 3;
    r.status = mobisync::Status::unavailable("no answer");
    r.provider_unavailable = true;
    CHECK(ms::exitCodeFor(r) == 69);
    r.auth_failed = true;
    CHECK(ms::exitCodeFor(r) == 77);
    ms::JobReport stopped;
    stopped.outcome = ms::JobOutcome::Partial;
    stopped.failed = 3;
    stopped.not_sent = 3;
    stopped.stopped = true;
    stopped.status = mobisync::Status::unavailable("stopped: max_run_seconds = 1 reached");
    CHECK(ms::exitCodeFor(stopped) == 75);
    // Every call refused: failed, and the refusals decide the code.
    ms::JobReport refused;
    refused.outcome = ms::JobOutcome::Failed;
    refused.failed = refused.refused = 4;
    refused.status = mobisync::Status::rejected("the provider refused 4 subscriptions");
    CHECK(ms::exitCodeFor(refused) == 76);
    CHECK(std::string(ms::outcomeName(ms::JobOutcome::Partial)) == "partial");
  }
}
