// SPDX-License-Identifier: Apache-2.0
// Lease tests' shared pieces: the shared state, its config, a daemon and what the state recorded.
#pragma once

#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "state/lease_store.hpp"
#include "state/state_store.hpp"
#include "support/eventually.hpp"
#include "support/postgres_process.hpp"
#include "support/process.hpp"
#include "support/prometheus_text.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ChildProcess;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;

namespace lease_fixture {

constexpr int kConcurrency = 2;
constexpr int kFirstRows = 20;
constexpr int kAllRows = 300;
// The schedule's period; two runs of one tick would start milliseconds apart.
constexpr std::int64_t kTickMs = 3000;

// The daemon tests wait up to 90 s for what a daemon does on its schedule.
inline bool eventually(const std::function<bool()>& ready,
                       std::chrono::seconds limit = std::chrono::seconds(90)) {
  return mobisync::test::eventually(ready, limit);
}

inline std::string httpGet(int port, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  return body;
}

inline std::string people(int rows) {
  std::ostringstream csv;
  csv << "msisdn,name\n";
  for (int i = 0; i < rows; ++i) csv << "0793010" << (1000 + i) << ",P" << i << "\n";
  return csv.str();
}

inline std::set<std::string> expectedNumbers(int rows) {
  std::set<std::string> out;
  for (int i = 0; i < rows; ++i) out.insert("44793010" + std::to_string(1000 + i));
  return out;
}

/// The state both daemons share: its [state] table, the environment its secret comes from, and
/// where the test reads it.
struct SharedState {
  std::string toml;
  std::map<std::string, std::string> env;
  mobisync::state::StateLocation location;
};

inline std::string config(const SimulatorProcess& sim, const SharedState& state) {
  return "[provider]\nbase_url = \"" + sim.baseUrl() +
         "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\nconcurrency = " +
         std::to_string(kConcurrency) + "\n\n[state]\n" + state.toml + "\n[plugins]\ndirs = [\"" +
         mobisync::test::pluginDir() +
         "\"]\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n\n[daemon]\nstop_timeout = 30\n"
         "lease_ttl = 2\n"
         "\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
         "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
         "applications = [\"contacts:42\"]\nschedule = \"@every 3s\"\n"
         "timezone = \"UTC\"\n";
}

/// One daemon under test, with its /metrics port.
struct Daemon {
  std::unique_ptr<ChildProcess> process;
  int port = 0;

  mobisync::test::PromExposition metrics() const {
    return mobisync::test::parsePrometheusText(httpGet(port, "/metrics"));
  }
  double runs() const { return metrics().sum("mobisync_job_runs_total", {{"job", "people"}}); }
  double succeeded() const {
    return metrics().sum("mobisync_job_runs_total", {{"job", "people"}, {"outcome", "succeeded"}});
  }
  double leaseSkipped() const {
    return metrics().sum("mobisync_job_runs_lease_skipped_total", {{"job", "people"}});
  }
  std::string log() const { return process->readStderr(); }
};

inline int metricsPort(const ChildProcess& daemon) {
  static const std::regex kLine(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)");
  std::smatch m;
  const std::string err = daemon.readStderr();
  return std::regex_search(err, m, kLine) ? std::stoi(m[1]) : 0;
}

inline Daemon startDaemon(const std::string& cfg, const SharedState& state, const TempDir& dir) {
  auto env = state.env;
  env["MOBIVATE_PASSWORD"] = "demo-secret";
  Daemon d;
  d.process = std::make_unique<ChildProcess>(
      std::vector<std::string>{mobisync::test::mobisyncBinary(), "run", "-c", cfg}, env,
      dir.path());
  REQUIRE_MESSAGE(
      eventually([&] { return metricsPort(*d.process) != 0 || !d.process->running(); }),
      d.log());
  d.port = metricsPort(*d.process);
  REQUIRE_MESSAGE(d.port != 0, d.log());
  return d;
}

/// The pid in a holder id "host:pid:mark.random".
inline int holderPid(const std::string& holder) {
  const auto last = holder.rfind(':');
  const auto before = holder.rfind(':', last - 1);
  if (last == std::string::npos || before == std::string::npos) return -1;
  return std::stoi(holder.substr(before + 1, last - before - 1));
}

inline std::vector<mobisync::state::RunRecord> runsOldestFirst(const SharedState& state) {
  mobisync::state::StateStore store(state.location);
  auto runs = store.runs("people", 0);
  std::reverse(runs.begin(), runs.end());
  return runs;
}

/// Every run started at least half a period after the one before: no tick ran twice.
inline void checkOneRunPerTick(const std::vector<mobisync::state::RunRecord>& runs) {
  for (std::size_t i = 1; i < runs.size(); ++i) {
    INFO("runs #" << runs[i - 1].id << " and #" << runs[i].id);
    CHECK(runs[i].started_at_ms - runs[i - 1].started_at_ms >= kTickMs / 2);
  }
}

inline double succeededRuns(const SharedState& state) {
  double n = 0;
  for (const auto& r : runsOldestFirst(state)) n += r.outcome == "succeeded" ? 1 : 0;
  return n;
}

inline std::size_t countLines(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace lease_fixture
