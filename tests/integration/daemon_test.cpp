// SPDX-License-Identifier: Apache-2.0
// `mobisync run` as a real process: scheduled syncs against the simulator, /metrics matching the
// simulator's counts, SIGHUP with a broken config, SIGTERM to a clean exit (more in
// daemon_safety_test.cpp).
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "daemon_workspace.hpp"
#include "support/process.hpp"
#include "support/prometheus_text.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ChildProcess;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;
using mobisync::test::daemon::config;
using mobisync::test::daemon::eventually;
using mobisync::test::daemon::httpGet;
using mobisync::test::daemon::kPeople;
using mobisync::test::daemon::metricsPort;

TEST_SUITE("integration.daemon") {
  TEST_CASE("run syncs on its schedule and serves metrics that match the simulator") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string cfg = dir.write("mobisync.toml", config(sim, "@every 2s"));
    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                        {{"MOBIVATE_PASSWORD", "demo-secret"}}, dir.path());

    REQUIRE_MESSAGE(eventually([&] { return metricsPort(daemon) != 0 || !daemon.running(); }),
                    daemon.readStderr());
    const int port = metricsPort(daemon);
    REQUIRE_MESSAGE(port != 0, daemon.readStderr());
    // Two scheduled runs: the first applies, the second finds nothing to do.
    REQUIRE_MESSAGE(eventually([&] {
                      auto e = mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second);
                      return e.sum("mobisync_job_runs_total", {{"outcome", "succeeded"}}) >= 2;
                    }),
                    daemon.readStderr());
    CHECK(sim.subscriptions().size() == 5);

    auto [status, text] = httpGet(port, "/metrics");
    CHECK(status == 200);
    auto e = mobisync::test::parsePrometheusText(text);
    Poco::JSON::Object::Ptr stats =
        Poco::JSON::Parser().parse(sim.get("/_sim/stats")).extract<Poco::JSON::Object::Ptr>();
    CHECK(e.value("mobisync_contacts_added_total", {{"job", "people"}}) == 5);
    CHECK(e.value("mobisync_contacts_added_total", {{"job", "people"}}) ==
          static_cast<double>(sim.subscriptions().size()));
    CHECK(e.value("mobisync_contacts_removed_total", {{"job", "people"}}) == 0);
    CHECK(e.sum("mobisync_provider_calls_total", {{"call", "create"}}) ==
          stats->getValue<double>("create"));
    CHECK(e.sum("mobisync_provider_calls_total", {{"call", "remove"}}) ==
          stats->getValue<double>("delete"));
    CHECK(e.value("mobisync_provider_call_duration_seconds_count", {{"job", "people"}, {"call", "create"}}) ==
          stats->getValue<double>("create"));
    // The bad number is rejected on every run, so the counter is a multiple of the runs so far.
    CHECK(e.value("mobisync_contacts_rejected_total", {{"job", "people"}}) >= 2);
    CHECK(e.value("mobisync_job_last_success_timestamp_seconds", {{"job", "people"}}) > 1.7e9);
    CHECK(e.types.at("mobisync_smpp_bound_sessions") == "gauge");
    auto health = httpGet(port, "/healthz");
    CHECK(health.first == 200);
    CHECK(health.second == "ok\n");
    CHECK(httpGet(port, "/nothing").first == 404);

    // A broken config on SIGHUP is refused with its position; the daemon keeps running.
    dir.write("mobisync.toml", config(sim, "61 * * * *"));
    daemon.kill(SIGHUP);
    REQUIRE_MESSAGE(eventually([&] {
                      return daemon.readStderr().find("config reload refused: ") !=
                             std::string::npos;
                    }),
                    daemon.readStderr());
    const std::string err = daemon.readStderr();
    CHECK(err.find("mobisync.toml:28:12: job.people.schedule: \"61 * * * *\": minute field: 61 "
                   "is out of range 0-59 at column 1") != std::string::npos);
    CHECK(daemon.running());
    CHECK(mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second)
              .value("mobisync_config_reloads_total", {{"result", "refused"}}) == 1);
    // The old schedule still runs.
    const double runs = mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second)
                            .sum("mobisync_job_runs_total");
    CHECK(eventually([&] {
      return mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second)
                 .sum("mobisync_job_runs_total") > runs;
    }));
    CHECK(err.find("secret") == std::string::npos);

    daemon.kill(SIGTERM);
    auto code = daemon.waitFor(std::chrono::seconds(60));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    CHECK(daemon.readStderr().find("SIGTERM received") != std::string::npos);
    CHECK(daemon.readStderr().find("stopped") != std::string::npos);
  }

  TEST_CASE("SIGTERM during a slow run records the confirmed batches and exits 0") {
    mobisync::test::SimulatorOptions slow;
    slow.latency_ms = 100;
    SimulatorProcess sim(slow);
    TempDir dir;
    std::ostringstream csv;
    csv << "msisdn\n";
    for (int i = 0; i < 200; ++i) csv << "0793010" << (1000 + i) << "\n";
    dir.write("people.csv", csv.str());
    std::string text = config(sim, "@every 1s");
    text.insert(text.find("\n[state]"), "concurrency = 1\n");
    const std::string cfg = dir.write("mobisync.toml", text);
    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                        {{"MOBIVATE_PASSWORD", "demo-secret"}}, dir.path());
    // Stop it while the first run is applying: some contacts exist, not all.
    REQUIRE_MESSAGE(eventually([&] { return sim.subscriptions().size() >= 3; }),
                    daemon.readStderr());
    daemon.kill(SIGTERM);
    auto code = daemon.waitFor(std::chrono::seconds(60));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
    const std::size_t created = sim.subscriptions().size();
    CHECK(created < 200);
    // What the provider confirmed is exactly what the state recorded: `state show` counts it.
    auto shown = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "state", "show", "-c", cfg},
        {{"MOBIVATE_PASSWORD", "demo-secret"}});
    CHECK(shown.out.find("job people: " + std::to_string(created) + " subscriptions") !=
          std::string::npos);
    // Not a success: some calls were confirmed, the rest never made. The run says why, and the
    // stopping daemon handed its lease over.
    CHECK(daemon.readStderr().find("outcome=partial") != std::string::npos);
    // The calls the stop prevented are planned again, not rejected rows (issue 17 case 7).
    CHECK(daemon.readStderr().find("rejected=0 ") != std::string::npos);
    CHECK(shown.out.find(", rejected 0,") != std::string::npos);
    CHECK_MESSAGE(shown.out.find(" people sync partial: ") != std::string::npos, shown.out);
    CHECK_MESSAGE(shown.out.find("stopped before every call was made") != std::string::npos,
                  shown.out);
    CHECK_MESSAGE(shown.out.find("job people: free; last taken by") != std::string::npos,
                  shown.out);
  }

  TEST_CASE("run refuses an invalid config at start with exit code 78") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string cfg = dir.write("mobisync.toml", config(sim, "@every 2 s"));
    auto r = mobisync::test::runProcess({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                                        {{"MOBIVATE_PASSWORD", "demo-secret"}});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("job.people.schedule") != std::string::npos);
  }
}
