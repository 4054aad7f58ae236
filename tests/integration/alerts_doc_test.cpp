// SPDX-License-Identifier: Apache-2.0
// The alerts docs/operations.md recommends, as Prometheus itself evaluates them: promtool checks
// the rules taken word for word from the page and the daemon's real /metrics, then runs the rules
// over series made of two real scrapes of `mobisync run`: one at start and one after a job was
// blocked by a safety gate, another overran its schedule, a third never succeeded and an SMPP
// notifier found no SMSC.
// Each alert must stay silent before its condition and fire after it. Only the ratio of failed
// receipts is made up (its label sets come from the scrape): a real one needs hours of traffic.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "daemon_workspace.hpp"
#include "support/missing_peer.hpp"
#include "support/process.hpp"
#include "support/prometheus_text.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ChildProcess;
using mobisync::test::PromExposition;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;
using mobisync::test::daemon::eventually;
using mobisync::test::daemon::HeldPort;
using mobisync::test::daemon::httpGet;
using mobisync::test::daemon::metricsPort;
using mobisync::test::daemon::readFile;

namespace {

/// promtool from $PATH, else where scripts/setup puts it; "" when neither has it.
std::string promtool() {
  if (mobisync::test::runProcess({"sh", "-c", "command -v promtool"}).exit_code == 0) {
    return "promtool";
  }
  const std::string cached = mobisync::test::sourceDir() + "/.cache/tools/promtool";
  return std::filesystem::exists(cached) ? cached : "";
}

/// The ```yaml block under "Alerts worth having" in docs/operations.md, as a rule file.
std::string rulesFromDocs() {
  const std::string page = readFile(mobisync::test::sourceDir() + "/docs/operations.md");
  const auto anchor = page.find("Alerts worth having");
  REQUIRE(anchor != std::string::npos);
  const auto start = page.find("```yaml\n", anchor);
  REQUIRE(start != std::string::npos);
  const auto end = page.find("```", start + 8);
  std::istringstream block(page.substr(start + 8, end - start - 8));
  std::string rules = "groups:\n  - name: mobisync-docs\n    rules:\n";
  for (std::string line; std::getline(block, line);) rules += "      " + line + "\n";
  return rules;
}

/// `name{a="x",b="y"}` in the exposition's own spelling.
std::string seriesText(const mobisync::test::PromSample& s) {
  std::string text = s.name + "{";
  bool first = true;
  for (const auto& [k, v] : s.labels) {
    text += (first ? "" : ",") + k + "=\"" + v + "\"";
    first = false;
  }
  return text + "}";
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

/// Where `t0` lands on promtool's clock, whose time() starts at 0: ten minutes in, so a
/// rule that reads a 0 timestamp ("never succeeded") as a time is told from one that does not.
constexpr double kT0OnPromtoolClock = 600;

/// promtool's input series: each sample of `families` at minute 0 from `before`, then from
/// minute 1 on (for three hours) from `after`. Timestamps are moved so that `t0` is
/// kT0OnPromtoolClock; 0, which says "never", stays 0.
std::string inputSeries(const PromExposition& before, const PromExposition& after,
                        const std::vector<std::string>& families, double t0) {
  std::string out;
  for (const auto& s : before.samples) {
    if (std::find(families.begin(), families.end(), s.name) == families.end()) continue;
    const bool timestamp = s.name == "mobisync_job_last_success_timestamp_seconds" ||
                           s.name == "mobisync_start_time_seconds";
    auto moved = [&](double v) { return timestamp && v > 0 ? v - t0 + kT0OnPromtoolClock : v; };
    const double v1 = after.value(s.name, s.labels);
    out += "      - series: '" + seriesText(s) + "'\n        values: '" + number(moved(s.value)) +
           " " + number(moved(v1)) + "x180'\n";
  }
  return out;
}

struct Expect {
  std::string alert;
  std::string eval_time;
  std::vector<std::string> labels;  ///< one "{k: v, ...}" per firing alert; empty: silent
};

std::string alertTests(const std::vector<Expect>& expects) {
  std::string out = "    alert_rule_test:\n";
  for (const auto& e : expects) {
    out += "      - eval_time: " + e.eval_time + "\n        alertname: " + e.alert +
           "\n        exp_alerts:" + (e.labels.empty() ? " []\n" : "\n");
    for (const auto& l : e.labels) out += "          - exp_labels: " + l + "\n";
  }
  return out;
}

PromExposition scrape(int port) {
  const auto [status, text] = httpGet(port, "/metrics");
  REQUIRE(status == 200);
  return mobisync::test::parsePrometheusText(text);
}

double secondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_SUITE("integration.alerts") {
  TEST_CASE("the documented alerts stay silent at start and fire on a real daemon's series") {
    const std::string tool = promtool();
    if (tool.empty()) {
      mobisync::test::skipForMissingPeer("promtool is not installed (scripts/setup takes it)");
      return;
    }
    TempDir dir;
    const std::string rules = dir.write("rules.yml", rulesFromDocs());
    const auto check_rules = mobisync::test::runProcess({tool, "check", "rules", rules});
    REQUIRE_MESSAGE(check_rules.exit_code == 0, check_rules.out << check_rules.err);

    // Every provider call takes 1.5 s, so a run with one call outlasts a 1 s schedule.
    SimulatorOptions sim_options;
    sim_options.latency_ms = 1500;
    SimulatorProcess sim(sim_options);
    HeldPort closed;
    const int smsc_port = closed.port();
    closed.release();  // nothing listens there: the notifier never binds

    dir.write("people.csv", "msisdn,name\n07930 000001,Ann\n07930 000002,Bob\n");
    dir.write("slow.csv", "msisdn,name\n");
    const std::string cfg = dir.write(
        "mobisync.toml",
        "[provider]\nbase_url = \"" + sim.baseUrl() +
            "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
            "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
            mobisync::test::pluginDir() +
            "\"]\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n\n[daemon]\nstop_timeout = 30\n"
            "\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
            "\n[[source]]\nname = \"slow\"\nplugin = \"csv\"\npath = \"slow.csv\"\n"
            "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
            "applications = [\"contacts:42\"]\nschedule = \"@every 1s\"\n"
            "\n[[job]]\nname = \"slow\"\nsource = \"slow\"\ndefault_region = \"GB\"\n"
            "applications = [\"contacts:43\"]\nschedule = \"@every 1s\"\n"
            // Its export never arrives: the job has never succeeded.
            "\n[[source]]\nname = \"gone\"\nplugin = \"csv\"\npath = \"gone.csv\"\n"
            "\n[[job]]\nname = \"never\"\nsource = \"gone\"\ndefault_region = \"GB\"\n"
            "applications = [\"contacts:44\"]\nschedule = \"@every 1s\"\n"
            "\n[[notifier]]\nname = \"sms\"\nplugin = \"smpp\"\nhost = \"127.0.0.1\"\nport = " +
            std::to_string(smsc_port) +
            "\nsystem_id = \"demo\"\npassword_env = \"SMPP_PASSWORD\"\n"
            "reconnect_min_ms = 50\nreconnect_max_ms = 400\n");
    const std::map<std::string, std::string> env = {{"MOBIVATE_PASSWORD", "demo-secret"},
                                                    {"SMPP_PASSWORD", "secret"}};
    const auto sync = mobisync::test::runProcess(
        {mobisync::test::mobisyncBinary(), "sync", "people", "-c", cfg, "--progress", "never"},
        env);
    REQUIRE_MESSAGE(sync.exit_code == 0, sync.out << sync.err);

    ChildProcess daemon({mobisync::test::mobisyncBinary(), "run", "-c", cfg}, env, dir.path());
    REQUIRE(eventually([&] { return metricsPort(daemon) != 0; }));
    const int port = metricsPort(daemon);
    // The start: both jobs have succeeded once (so every last-success is a real time), none was
    // blocked or skipped, and the notifier is unbound.
    PromExposition start;
    REQUIRE_MESSAGE(eventually([&] {
                      start = scrape(port);
                      return start.value("mobisync_job_last_success_timestamp_seconds",
                                         {{"job", "slow"}}) > 0;
                    }),
                    daemon.readStderr());
    const double t0 = secondsNow();
    for (const char* job : {"people", "slow"}) {
      CAPTURE(job);
      REQUIRE(start.value("mobisync_job_runs_total", {{"job", job}, {"outcome", "blocked"}}) == 0);
      REQUIRE(start.value("mobisync_job_runs_skipped_total", {{"job", job}}) == 0);
    }
    REQUIRE(start.value("mobisync_job_last_success_timestamp_seconds", {{"job", "never"}}) == 0);
    REQUIRE(start.value("mobisync_smpp_bound_sessions", {{"notifier", "sms"}}) == 0);

    // Then: people's export comes back empty (the empty-source gate blocks its removals), and
    // slow gets a contact, whose one 1.5 s call makes its run overrun the next tick.
    dir.write("people.csv", "msisdn,name\n");
    dir.write("slow.csv", "msisdn,name\n07930 000003,Cy\n");
    PromExposition after;
    REQUIRE_MESSAGE(eventually([&] {
                      after = scrape(port);
                      return after.value("mobisync_job_runs_total",
                                         {{"job", "people"}, {"outcome", "blocked"}}) > 0 &&
                             after.value("mobisync_job_runs_skipped_total", {{"job", "slow"}}) > 0;
                    }),
                    daemon.readStderr());
    REQUIRE(after.value("mobisync_job_runs_total", {{"job", "slow"}, {"outcome", "blocked"}}) == 0);
    REQUIRE(after.value("mobisync_job_runs_skipped_total", {{"job", "people"}}) == 0);
    REQUIRE(after.value("mobisync_smpp_bound_sessions", {{"notifier", "sms"}}) == 0);
    REQUIRE(after.value("mobisync_job_runs_total", {{"job", "never"}, {"outcome", "failed"}}) > 0);
    REQUIRE(after.value("mobisync_job_last_success_timestamp_seconds", {{"job", "never"}}) == 0);

    const auto [status, text] = httpGet(port, "/metrics");
    REQUIRE(status == 200);
    const std::string scraped = dir.write("metrics.txt", text);
    const auto lint =
        mobisync::test::runProcess({"sh", "-c", "'" + tool + "' check metrics < '" + scraped + "'"});
    CHECK_MESSAGE(lint.exit_code == 0, lint.out << lint.err);
    CHECK_MESSAGE(lint.out + lint.err == "", lint.out << lint.err);

    // The receipts: real label sets at 0, then 5 delivered and 1 failed a minute (1/6 > 1/10)
    // in one test group, and 20 delivered and 1 failed (1/21) in another.
    const double delivered =
        after.value("mobisync_messages_total", {{"notifier", "sms"}, {"status", "delivered"}});
    const double failed =
        after.value("mobisync_messages_total", {{"notifier", "sms"}, {"status", "failed"}});
    REQUIRE(delivered == 0);
    REQUIRE(failed == 0);
    auto receipts = [](int delivered_per_minute) {
      return "      - series: 'mobisync_messages_total{notifier=\"sms\",status=\"delivered\"}'\n"
             "        values: '0+" + std::to_string(delivered_per_minute) + "x180'\n"
             "      - series: 'mobisync_messages_total{notifier=\"sms\",status=\"failed\"}'\n"
             "        values: '0+1x180'\n";
    };

    const std::vector<std::string> families = {
        "mobisync_job_runs_total", "mobisync_job_runs_skipped_total",
        "mobisync_job_last_success_timestamp_seconds", "mobisync_start_time_seconds",
        "mobisync_smpp_bound_sessions"};
    const std::string real = inputSeries(start, after, families, t0);
    std::string tests = "rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n";
    tests += "  - interval: 1m\n    input_series:\n" + real + receipts(5) +
             alertTests({
                 {"MobisyncJobBlocked", "0m", {}},
                 {"MobisyncJobBlocked", "5m", {"{job: people, outcome: blocked}"}},
                 {"MobisyncJobOverrun", "0m", {}},
                 {"MobisyncJobOverrun", "5m", {"{job: slow}"}},
                 // Stale two hours after the last success, or after the start for a job that
                 // never succeeded ("never"), not two hours after the clock's zero (125m).
                 {"MobisyncJobStale", "60m", {}},
                 {"MobisyncJobStale", "125m", {}},
                 {"MobisyncJobStale", "135m", {"{job: people}", "{job: slow}", "{job: never}"}},
                 {"MobisyncSmsUnbound", "5m", {}},
                 {"MobisyncSmsUnbound", "15m", {"{notifier: sms}"}},
                 {"MobisyncSmsUndelivered", "0m", {}},
                 {"MobisyncSmsUndelivered", "30m", {"{notifier: sms}"}},
             });
    tests += "  - interval: 1m\n    input_series:\n" + receipts(20) +
             alertTests({{"MobisyncSmsUndelivered", "30m", {}}});
    dir.write("tests.yml", tests);
    const auto run = mobisync::test::runProcess({tool, "test", "rules", dir.file("tests.yml")},
                                                {}, std::chrono::seconds(120));
    CHECK_MESSAGE(run.exit_code == 0, run.out << run.err << "\n" << tests);
  }
}
