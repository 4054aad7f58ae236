// SPDX-License-Identifier: Apache-2.0
// The catalog's series present before the first event, build_info, and the process metrics.
#include <doctest/doctest.h>

#include <unistd.h>

#include <map>
#include <stdexcept>
#include <string>

#include "metrics/catalog.hpp"
#include "metrics/process_metrics.hpp"
#include "metrics/registry.hpp"
#include "mobisync/build_info.hpp"
#include "support/prometheus_text.hpp"

using mobisync::metrics::Registry;
using mobisync::test::parsePrometheusText;

namespace {

bool has(const mobisync::test::PromExposition& e, const std::string& name,
         const std::map<std::string, std::string>& labels) {
  try {
    (void)e.value(name, labels);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

TEST_SUITE("core.metrics") {
  TEST_CASE("every job series exists at 0 for each job and outcome before any run") {
    Registry r;
    mobisync::metrics::describeCatalog(r);
    mobisync::metrics::declareJobSeries(r, {"people", "staff"});
    auto e = parsePrometheusText(r.exposition());
    for (const char* job : {"people", "staff"}) {
      for (const char* outcome : {"succeeded", "partial", "blocked", "failed"}) {
        CHECK(has(e, "mobisync_job_runs_total", {{"job", job}, {"outcome", outcome}}));
      }
      for (const char* name :
           {"mobisync_job_runs_skipped_total", "mobisync_job_runs_lease_skipped_total",
            "mobisync_job_running", "mobisync_contacts_fetched_total",
            "mobisync_contacts_added_total", "mobisync_contacts_removed_total",
            "mobisync_contacts_rejected_total", "mobisync_contacts_failed_total"}) {
        CHECK_MESSAGE(has(e, name, {{"job", job}}), name);
        CHECK(e.value(name, {{"job", job}}) == 0);
      }
      for (const char* call : {"create", "remove"}) {
        for (const char* outcome : {"ok", "rejected", "retry"}) {
          CHECK(has(e, "mobisync_provider_calls_total",
                      {{"job", job}, {"call", call}, {"outcome", outcome}}));
        }
        CHECK(has(e, "mobisync_provider_call_duration_seconds_count", {{"job", job}, {"call", call}}));
      }
    }
  }

  TEST_CASE("build_info is 1 with the version, SDK and ABI of this build") {
    Registry r;
    mobisync::metrics::describeCatalog(r);
    auto e = parsePrometheusText(r.exposition());
    CHECK(e.types.at("mobisync_build_info") == "gauge");
    CHECK(e.sum("mobisync_build_info", {{"version", mobisync::kSdkVersion}, {"abi", "1"}}) == 1);
  }

  TEST_CASE("process metrics describe this process") {
    auto e = parsePrometheusText(mobisync::metrics::processExposition());
    CHECK(e.types.at("process_cpu_seconds_total") == "counter");
    CHECK(e.value("process_resident_memory_bytes", {}) > 1024 * 1024);
    CHECK(e.value("process_open_fds", {}) >= 3);
    const double start = e.value("process_start_time_seconds", {});
    CHECK(start > 1.7e9);
    CHECK(start <= static_cast<double>(::time(nullptr)) + 1);
  }
}
