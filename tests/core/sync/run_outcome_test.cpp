// SPDX-License-Identifier: Apache-2.0
// judgeApply(): one outcome from the applier's totals, the report's counts and the run's end.
#include <doctest/doctest.h>

#include <string>

#include "sync/run_outcome.hpp"

namespace ms = mobisync::sync;
using mobisync::Errc;
using mobisync::remote::ApplyStats;

namespace {

ms::JobReport counted(std::int64_t calls, std::int64_t confirmed_calls, std::int64_t failed,
                      std::int64_t refused = 0) {
  ms::JobReport r;
  r.calls = calls;
  r.confirmed_calls = confirmed_calls;
  r.failed = failed;
  r.refused = refused;
  return r;
}

ms::ApplyCircumstances quiet() {
  ms::ApplyCircumstances c;
  c.provider_user = "acme";
  c.max_attempts = 4;
  return c;
}

}  // namespace

TEST_SUITE("core.run_outcome") {
  TEST_CASE("every call confirmed: the outcome stays, blocked or succeeded") {
    ms::JobReport r = counted(3, 3, 0);
    ms::judgeApply(r, ApplyStats{}, quiet());
    CHECK(r.outcome == ms::JobOutcome::Succeeded);
    CHECK(r.status);
    r.outcome = ms::JobOutcome::Blocked;
    ms::judgeApply(r, ApplyStats{}, quiet());
    CHECK(r.outcome == ms::JobOutcome::Blocked);
  }

  TEST_CASE("refusals alone are partial and Rejected, with the tally") {
    ms::JobReport r = counted(3, 2, 1, 1);
    ms::judgeApply(r, ApplyStats{}, quiet());
    CHECK(r.outcome == ms::JobOutcome::Partial);
    CHECK(r.status.code() == Errc::Rejected);
    CHECK(r.status.message() ==
          "the provider refused 1 subscriptions (see the reject file) (2 of 3 planned calls "
          "confirmed); confirmed calls are recorded, the rest are planned again on the next run");
  }

  TEST_CASE("unanswered calls make the provider unavailable, none confirmed is a failure") {
    ApplyStats stats;
    stats.unavailable = 2;
    ms::JobReport r = counted(2, 0, 2);
    ms::judgeApply(r, stats, quiet());
    CHECK(r.provider_unavailable);
    CHECK(r.outcome == ms::JobOutcome::Failed);
    CHECK(r.status.code() == Errc::Unavailable);
    CHECK(r.status.message().find("the provider did not answer every call within "
                                  "max_attempts = 4 (0 of 2 planned calls confirmed)") == 0);
  }

  TEST_CASE("refused credentials name the user and outrank refusals") {
    ApplyStats stats;
    stats.auth_failed = true;
    stats.unavailable = stats.not_made = 1;
    ms::JobReport r = counted(3, 1, 2, 1);
    ms::judgeApply(r, stats, quiet());
    CHECK(r.auth_failed);
    CHECK_FALSE(r.provider_unavailable);
    CHECK(r.status.code() == Errc::Unavailable);
    CHECK(r.status.message().find("the provider refused the credentials of user acme; the run "
                                  "stopped at the first refusal; the provider refused 1") == 0);
  }

  TEST_CASE("a provider halt gives its reason") {
    ApplyStats stats;
    stats.provider_failed = true;
    stats.halt_reason = "no answer from x";
    ms::JobReport r = counted(2, 1, 1);
    ms::judgeApply(r, stats, quiet());
    CHECK(r.provider_unavailable);
    CHECK(r.status.message().find("no answer from x (1 of 2") == 0);
  }

  TEST_CASE("a deadline or a stop marks the run stopped") {
    ApplyStats stats;
    stats.stopped = true;
    stats.unavailable = stats.not_made = 1;
    ms::ApplyCircumstances c = quiet();
    c.deadline_expired = true;
    c.deadline_seconds = 5;
    ms::JobReport r = counted(2, 1, 1);
    ms::judgeApply(r, stats, c);
    CHECK(r.stopped);
    CHECK_FALSE(r.provider_unavailable);
    CHECK(r.status.message().find("stopped: max_run_seconds = 5 reached (1 of 2") == 0);
    ms::JobReport signalled = counted(2, 1, 1, 1);
    ms::judgeApply(signalled, stats, quiet());
    CHECK(signalled.stopped);
    CHECK(signalled.status.code() == Errc::Unavailable);  // refusals, but also a stop
    CHECK(signalled.status.message().find("stopped before every call was made; the provider") ==
          0);
  }

  TEST_CASE("a lost lease or unusable provider settings fail the run whatever was confirmed") {
    ms::ApplyCircumstances c = quiet();
    c.lease_lost = "lease of job j lost";
    ms::JobReport r = counted(2, 2, 0);
    ms::judgeApply(r, ApplyStats{}, c);
    CHECK(r.outcome == ms::JobOutcome::Failed);
    CHECK(r.status.message() == "lease of job j lost");
    ApplyStats stats;
    stats.config_error = "cannot read ca_file /x";
    ms::JobReport cfg = counted(2, 0, 2);
    ms::judgeApply(cfg, stats, quiet());
    CHECK(cfg.outcome == ms::JobOutcome::Failed);
    CHECK(cfg.status.code() == Errc::InvalidConfig);
    CHECK(cfg.status.message() == "provider: cannot read ca_file /x; no call was made");
  }
}
