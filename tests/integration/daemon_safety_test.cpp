// SPDX-License-Identifier: Apache-2.0
// `mobisync run` as a real process, on what it must survive (issue 17): a metrics port another
// process holds, at start and on SIGHUP; idle connections to the listener; a reload refused
// whole, logging included; leases handed over at SIGTERM; failed runs counted as failed.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <sstream>
#include <string>

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
using mobisync::test::daemon::HeldPort;
using mobisync::test::daemon::httpGet;
using mobisync::test::daemon::IdleConnections;
using mobisync::test::daemon::kPeople;
using mobisync::test::daemon::metricsPort;
using mobisync::test::daemon::occurrences;

namespace {

const std::map<std::string, std::string> kEnv{{"MOBIVATE_PASSWORD", "demo-secret"}};

/// Starts `mobisync run -c <dir>/mobisync.toml` with output in `dir`.
ChildProcess startDaemon(const TempDir& dir) {
  return ChildProcess({mobisync::test::mobisyncBinary(), "run", "-c", dir.file("mobisync.toml")},
                      kEnv, dir.path());
}

/// Waits for the daemon's metrics line; REQUIREs it.
int waitForMetricsPort(ChildProcess& daemon) {
  REQUIRE_MESSAGE(eventually([&] { return metricsPort(daemon) != 0 || !daemon.running(); }),
                  daemon.readStderr());
  const int port = metricsPort(daemon);
  REQUIRE_MESSAGE(port != 0, daemon.readStderr());
  return port;
}

mobisync::test::PromExposition scrape(int port) {
  return mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second);
}

std::string stateShow(const TempDir& dir) {
  auto shown = mobisync::test::runProcess(
      {mobisync::test::mobisyncBinary(), "state", "show", "-c", dir.file("mobisync.toml")}, kEnv);
  return shown.out + shown.err;
}

}  // namespace

TEST_SUITE("integration.daemon") {
  TEST_CASE("a second daemon on the same metrics port exits 69 naming the address in use") {
    SimulatorProcess sim;
    TempDir first_dir;
    first_dir.write("people.csv", kPeople);
    first_dir.write("mobisync.toml", config(sim, "@every 1h"));
    ChildProcess first = startDaemon(first_dir);
    const int port = waitForMetricsPort(first);
    const std::string address = "127.0.0.1:" + std::to_string(port);

    TempDir second_dir;
    second_dir.write("people.csv", kPeople);
    const std::string cfg = second_dir.write("mobisync.toml", config(sim, "@every 1h", address));
    // Bounded: before the fix the second daemon shared the port and ran until stopped.
    auto second = mobisync::test::runProcess({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                                             kEnv, std::chrono::seconds(30));
    CHECK(second.exit_code == 69);
    CHECK_MESSAGE(second.err.find("not starting: metrics listener " + address +
                                  ": address in use") != std::string::npos,
                  second.err);
    // The first daemon alone answers on its port.
    CHECK(httpGet(port, "/healthz").first == 200);
    CHECK(first.running());
  }

  TEST_CASE("run exits 69 with a message when another program holds its metrics port") {
    SimulatorProcess sim;
    HeldPort held;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string cfg = dir.write("mobisync.toml", config(sim, "@every 1h", held.address()));
    auto r = mobisync::test::runProcess({mobisync::test::mobisyncBinary(), "run", "-c", cfg}, kEnv,
                                        std::chrono::seconds(30));
    // Before the fix: SIGABRT (-6) and no message.
    CHECK(r.exit_code == 69);
    CHECK_MESSAGE(r.err.find("not starting: metrics listener " + held.address() +
                             ": address in use") != std::string::npos,
                  r.err);
  }

  TEST_CASE("idle connections to the listener do not delay /metrics or /healthz") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    dir.write("mobisync.toml", config(sim, "@every 1h"));
    ChildProcess daemon = startDaemon(dir);
    const int port = waitForMetricsPort(daemon);
    // A 5 s bound on each socket operation: before the fix, two idle connections held both
    // listener threads for 60 s and these scrapes timed out.
    const auto bound = std::chrono::seconds(5);
    {
      IdleConnections idle(port, 2);
      CHECK(httpGet(port, "/metrics", bound).first == 200);
      CHECK(httpGet(port, "/healthz", bound).first == 200);
    }
    {
      IdleConnections idle(port, 10);
      CHECK(httpGet(port, "/healthz", bound).first == 200);
      CHECK(httpGet(port, "/metrics", bound).first == 200);
    }
    {
      // More than the listener keeps open: it closes the oldest rather than refuse new ones.
      IdleConnections idle(port, 200);
      CHECK(httpGet(port, "/healthz", bound).first == 200);
    }
    CHECK(daemon.running());
  }

  TEST_CASE("a SIGHUP whose new metrics listen cannot be bound is refused whole") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    dir.write("mobisync.toml", config(sim, "@every 1h"));
    ChildProcess daemon = startDaemon(dir);
    const int port = waitForMetricsPort(daemon);
    REQUIRE(eventually([&] { return daemon.readStderr().find("scheduled jobs:") != std::string::npos; }));

    HeldPort held;
    // A valid config that moves the listener to a held port and changes the schedule.
    dir.write("mobisync.toml", config(sim, "@every 2h", held.address()));
    daemon.kill(SIGHUP);
    REQUIRE_MESSAGE(eventually([&] {
                      return daemon.readStderr().find("config reload refused: ") !=
                             std::string::npos;
                    }),
                    daemon.readStderr());
    const std::string err = daemon.readStderr();
    CHECK_MESSAGE(err.find("Error mobisync.daemon: config reload refused: metrics listener " +
                           held.address() + ": address in use") != std::string::npos,
                  err);
    CHECK(err.find("config reloaded") == std::string::npos);
    // Nothing of the new config was applied: the old schedule and the old listener stay.
    CHECK(occurrences(err, "scheduled jobs:") == 1);
    CHECK(err.find("@every 2h") == std::string::npos);
    auto e = scrape(port);
    CHECK(e.value("mobisync_config_reloads_total", {{"result", "refused"}}) == 1);
    CHECK(e.sum("mobisync_config_reloads_total", {{"result", "applied"}}) == 0);
    CHECK(daemon.running());

    // Once the address is free the same config applies: the listener moves.
    held.release();
    daemon.kill(SIGHUP);
    REQUIRE_MESSAGE(eventually([&] {
                      return daemon.readStderr().find("SIGHUP: config reloaded") !=
                             std::string::npos;
                    }),
                    daemon.readStderr());
    CHECK(metricsPort(daemon) == held.port());
    CHECK(scrape(held.port()).value("mobisync_config_reloads_total", {{"result", "applied"}}) ==
          1);
    CHECK(daemon.readStderr().find("@every 2h") != std::string::npos);
    daemon.kill(SIGTERM);
    CHECK(daemon.waitFor(std::chrono::seconds(60)) == 0);
  }

  TEST_CASE("a refused reload keeps the running log file") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string logged = config(sim, "@every 1s") + "\n[log]\nfile = \"daemon.log\"\n";
    dir.write("mobisync.toml", logged);
    ChildProcess daemon = startDaemon(dir);
    auto log = [&] { return mobisync::test::daemon::readFile(dir.file("daemon.log")); };
    REQUIRE_MESSAGE(eventually([&] { return log().find("outcome=succeeded") != std::string::npos; }),
                    daemon.readStderr());

    // Invalid: the reload is refused while the file is being read.
    dir.write("mobisync.toml", config(sim, "61 * * * *") + "\n[log]\nfile = \"other.log\"\n");
    daemon.kill(SIGHUP);
    REQUIRE_MESSAGE(eventually([&] {
                      return log().find("config reload refused: ") != std::string::npos;
                    }, std::chrono::seconds(20)),
                    "log file:\n" << log() << "\nstderr:\n" << daemon.readStderr());
    CHECK(log().find("job.people.schedule") != std::string::npos);
    // The runs after the refusal still log to the file, not to stderr.
    const std::size_t before = occurrences(log(), "outcome=");
    CHECK_MESSAGE(eventually([&] { return occurrences(log(), "outcome=") > before + 1; }),
                  daemon.readStderr());
    CHECK(daemon.readStderr().find("outcome=") == std::string::npos);
    CHECK(daemon.readStderr().find("config reload refused") == std::string::npos);
    daemon.kill(SIGTERM);
    CHECK(daemon.waitFor(std::chrono::seconds(60)) == 0);
  }

  TEST_CASE("SIGTERM while idle releases the job's lease: a sync right after is not refused") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string cfg = dir.write("mobisync.toml", config(sim, "@every 2s"));
    ChildProcess daemon = startDaemon(dir);
    REQUIRE_MESSAGE(eventually([&] {
                      return daemon.readStderr().find("outcome=succeeded") != std::string::npos;
                    }),
                    daemon.readStderr());
    // Between two ticks: the run is over and its lease kept, as after every daemon run.
    daemon.kill(SIGTERM);
    REQUIRE(daemon.waitFor(std::chrono::seconds(60)) == 0);
    CHECK(occurrences(daemon.readStderr(), "outcome=") == 1);
    CHECK_MESSAGE(daemon.readStderr().find("job people: lease released") != std::string::npos,
                  daemon.readStderr());
    const std::string shown = stateShow(dir);
    CHECK_MESSAGE(shown.find("job people: free; last taken by") != std::string::npos, shown);

    auto sync = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "sync", "people", "-c", cfg}, kEnv);
    CHECK_MESSAGE(sync.exit_code == 0, sync.err);
  }

  TEST_CASE("a run stopped by max_run_seconds is not a success and hands its lease over") {
    mobisync::test::SimulatorOptions slow;
    slow.latency_ms = 200;
    SimulatorProcess sim(slow);
    TempDir dir;
    std::ostringstream csv;
    csv << "msisdn\n";
    for (int i = 0; i < 200; ++i) csv << "0793010" << (1000 + i) << "\n";
    dir.write("people.csv", csv.str());
    std::string text = config(sim, "@every 5s") + "max_run_seconds = 1\n";
    text.insert(text.find("\n[state]"), "concurrency = 1\n");
    dir.write("mobisync.toml", text);
    ChildProcess daemon = startDaemon(dir);
    const int port = waitForMetricsPort(daemon);
    REQUIRE_MESSAGE(eventually([&] {
                      return daemon.readStderr().find("job=people ") != std::string::npos;
                    }),
                    daemon.readStderr());
    // Right after the run, seconds before the next tick: the daemon no longer holds the job.
    const std::string shown = stateShow(dir);
    CHECK_MESSAGE(shown.find("job people: free; last taken by") != std::string::npos, shown);
    CHECK(shown.find("max_run_seconds = 1 reached") != std::string::npos);
    CHECK(sim.subscriptions().size() < 200);
    auto e = scrape(port);
    CHECK(e.sum("mobisync_job_runs_total", {{"job", "people"}}) >= 1);
    CHECK(e.sum("mobisync_job_runs_total", {{"outcome", "succeeded"}}) == 0);
    CHECK(e.sum("mobisync_job_last_success_timestamp_seconds") == 0);
    CHECK(daemon.running());
  }

  TEST_CASE("a run that fails is counted failed and leaves the last-success time unset") {
    HeldPort gone;
    const std::string dead_url = "http://" + gone.address();
    gone.release();  // nothing listens there now: every call is refused
    TempDir dir;
    dir.write("people.csv", kPeople);
    SimulatorProcess sim;  // only for the config's shape; base_url points at the closed port
    std::string text = config(sim, "@every 2s");
    text.replace(text.find(sim.baseUrl()), sim.baseUrl().size(), dead_url);
    text.insert(text.find("\n[state]"), "max_attempts = 1\n");
    dir.write("mobisync.toml", text);
    ChildProcess daemon = startDaemon(dir);
    const int port = waitForMetricsPort(daemon);
    REQUIRE_MESSAGE(eventually([&] {
                      return scrape(port).sum("mobisync_job_runs_total", {{"job", "people"}}) >= 1;
                    }),
                    daemon.readStderr());
    auto e = scrape(port);
    CHECK(e.sum("mobisync_job_runs_total", {{"outcome", "succeeded"}}) == 0);
    CHECK(e.sum("mobisync_job_runs_total", {{"outcome", "failed"}}) >= 1);
    CHECK(e.sum("mobisync_job_last_success_timestamp_seconds") == 0);
    CHECK(daemon.running());
  }
}
