// SPDX-License-Identifier: Apache-2.0
// `mobisync run` as an operator's tools see it right after start: every job series at 0,
// build_info and process metrics, the last success seeded from the state, the job label on the
// provider-call metrics, /healthz and /readyz, and READY, WATCHDOG and STOPPING on a
// systemd-style notify socket.
#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon_workspace.hpp"
#include "support/notify_socket.hpp"
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

namespace {

/// The threads of `pid` but its main one ("tid (name)") on which `sig` is not blocked: the
/// kernel may deliver a process-directed signal to any of them, and its default action ends the
/// process before the loop can stop it. The main thread is left out: it waits in sigtimedwait(),
/// which unblocks the signals it waits for while it waits.
std::vector<std::string> threadsTaking(pid_t pid, int sig) {
  std::vector<std::string> out;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    if (task.path().filename() == std::to_string(pid)) continue;
    std::ifstream status(task.path() / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigBlk:", 0) != 0) continue;
      const unsigned long long blocked = std::stoull(line.substr(7), nullptr, 16);
      if ((blocked & (1ULL << (sig - 1))) != 0) continue;
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      out.push_back(task.path().filename().string() + " (" + name + ")");
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("integration.daemon") {
  TEST_CASE("run serves every series from start, readiness, and notifies systemd") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    // Once a year: no scheduled run happens during the test.
    const std::string cfg = dir.write("mobisync.toml", config(sim, "0 0 1 1 *"));
    // A sync before the daemon: its success must show from the daemon's start.
    const auto sync = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "sync", "-c", cfg, "--progress", "never"},
        {{"MOBIVATE_PASSWORD", "demo-secret"}});
    REQUIRE_MESSAGE(sync.exit_code == 0, sync.out << sync.err);

    mobisync::test::NotifySocket notify(dir.file("notify.sock"));
    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                        {{"MOBIVATE_PASSWORD", "demo-secret"},
                         {"NOTIFY_SOCKET", notify.path()},
                         {"WATCHDOG_USEC", "1000000"}},
                        dir.path());
    const std::string ready = notify.receiveUntil("READY=1");
    REQUIRE_MESSAGE(!ready.empty(), daemon.readStderr());
    CHECK(ready.find("STATUS=running 1 scheduled job(s)") != std::string::npos);
    // WatchdogSec=1s: pinged at half of it.
    CHECK(notify.receiveUntil("WATCHDOG=1", 5000) == "WATCHDOG=1");

    const int port = metricsPort(daemon);
    REQUIRE_MESSAGE(port != 0, daemon.readStderr());
    const auto [status, text] = httpGet(port, "/metrics");
    REQUIRE(status == 200);
    const auto e = mobisync::test::parsePrometheusText(text);
    for (const char* outcome : {"succeeded", "partial", "blocked", "failed"}) {
      CAPTURE(outcome);
      CHECK(e.value("mobisync_job_runs_total", {{"job", "people"}, {"outcome", outcome}}) == 0);
    }
    CHECK(e.value("mobisync_contacts_added_total", {{"job", "people"}}) == 0);
    CHECK(e.value("mobisync_job_runs_skipped_total", {{"job", "people"}}) == 0);
    CHECK(e.value("mobisync_provider_calls_total",
                  {{"job", "people"}, {"call", "create"}, {"outcome", "ok"}}) == 0);
    CHECK(e.value("mobisync_provider_calls_total",
                  {{"job", "people"}, {"call", "remove"}, {"outcome", "retry"}}) == 0);
    CHECK(e.value("mobisync_provider_call_duration_seconds_count",
                  {{"job", "people"}, {"call", "create"}}) == 0);
    // Seeded from the state the sync above wrote.
    CHECK(e.value("mobisync_job_last_success_timestamp_seconds", {{"job", "people"}}) > 1.7e9);
    CHECK(e.sum("mobisync_build_info") == 1);
    CHECK(text.find("mobisync_build_info{") != std::string::npos);
    CHECK(e.types.at("process_cpu_seconds_total") == "counter");
    CHECK(e.value("process_resident_memory_bytes", {}) > 0);
    CHECK(e.value("process_open_fds", {}) > 0);
    CHECK(e.value("process_start_time_seconds", {}) > 1.7e9);

    CHECK(httpGet(port, "/healthz") == std::pair<int, std::string>(200, "ok\n"));
    CHECK(eventually([&] { return httpGet(port, "/readyz").first == 200; }));

    // Only the loop takes the stop and reload signals: a thread that does not block them
    // (one started before the mask was set) would let SIGTERM kill the process uncleanly.
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
      CAPTURE(sig);
      const auto taking = threadsTaking(daemon.pid(), sig);
      CHECK_MESSAGE(taking.empty(), taking.front());
    }

    daemon.kill(SIGTERM);
    CHECK(notify.receiveUntil("STOPPING=1", 10000) == "STOPPING=1");
    const auto code = daemon.waitFor(std::chrono::seconds(60));
    REQUIRE(code.has_value());
    CHECK(*code == 0);
  }

  TEST_CASE("/readyz answers 503 with the reason while the state cannot be read") {
    SimulatorProcess sim;
    TempDir dir;
    dir.write("people.csv", kPeople);
    const std::string cfg = dir.write("mobisync.toml", config(sim, "0 0 1 1 *"));
    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                        {{"MOBIVATE_PASSWORD", "demo-secret"}}, dir.path());
    REQUIRE_MESSAGE(eventually([&] { return metricsPort(daemon) != 0 || !daemon.running(); }),
                    daemon.readStderr());
    const int port = metricsPort(daemon);
    REQUIRE_MESSAGE(port != 0, daemon.readStderr());
    REQUIRE(eventually([&] { return httpGet(port, "/readyz").first == 200; }));
    // A file that is not SQLite where the state was: the next probe fails.
    dir.write("state.db", std::string(4096, 'x'));
    REQUIRE_MESSAGE(eventually([&] { return httpGet(port, "/readyz").first == 503; }),
                    daemon.readStderr());
    CHECK(httpGet(port, "/readyz").second.find("state") != std::string::npos);
    // Liveness is the loop's, not the state's.
    CHECK(httpGet(port, "/healthz").first == 200);
    daemon.kill(SIGTERM);
    CHECK(daemon.waitFor(std::chrono::seconds(60)).has_value());
  }
}
