// SPDX-License-Identifier: Apache-2.0
// The outbox survives kill -9: a real `mobisync send` of N messages through the http notifier
// to a slowed simulator is SIGKILLed at a random point (seeded; MOBISYNC_CRASH_SEED replays),
// the next `send` drains what it left, and then every message of the killed run is submitted,
// received by the simulator at least once, and received twice only if it was in flight (left
// 'sending') at the kill — at most one per kill, the one on the wire.
#include <doctest/doctest.h>

#include <csignal>
#include <map>
#include <random>
#include <thread>

#include "reliability/crash_harness.hpp"
#include "state/message_log.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace mobisync::test;

std::string recipient(int round, int i) {
  return "4479309" + std::to_string(10000 + round * 100 + i);
}

/// mobisync with a config holding only the state and one http notifier against `sim`.
struct OutboxCrashWorkspace {
  TempDir dir;
  SimulatorProcess sim;

  explicit OutboxCrashWorkspace(SimulatorOptions options) : sim(std::move(options)) {
    dir.write("mobisync.toml", "[provider]\nbase_url = \"" + sim.baseUrl() +
                                   "\"\nusername = \"demo\"\npassword_env = \"PW\"\n\n[state]\n"
                                   "path = \"state.db\"\n\n[plugins]\ndirs = [\"" + pluginDir() +
                                   "\"]\n\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\n"
                                   "json_base_url = \"" + sim.baseUrl() +
                                   "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\n"
                                   "originator = \"Mobisync\"\n");
  }
  std::vector<std::string> send(const std::string& to) {
    return {mobisyncBinary(), "send", "--via", "sms", "--to", to, "--text", "outbox crash test",
            "-c", dir.file("mobisync.toml")};
  }
  std::map<std::string, std::string> env() {
    return {{"PW", "demo-secret"}, {"SIM_API_KEY", "sim-api-key"}};
  }
  /// The state's rows, by row id.
  std::map<std::int64_t, mobisync::state::MessageRecord> rows() {
    mobisync::state::StateStore store(mobisync::state::StateLocation{dir.file("state.db"), "", ""});
    std::map<std::int64_t, mobisync::state::MessageRecord> out;
    for (auto& m : mobisync::state::MessageLog(store).list("", 100000)) out[m.id] = m;
    return out;
  }
  /// How many times the simulator received each reference ("ms-<row id>").
  std::map<std::string, int> received() {
    std::map<std::string, int> out;
    for (const auto& m : sim.messages()) ++out[m.reference];
    return out;
  }
};

}  // namespace

TEST_SUITE("reliability.outbox") {
  TEST_CASE("kill -9 during send: nothing lost, only what was in flight sent twice") {
    const std::uint64_t seed = crashSeed();
    MESSAGE("outbox crash seed " << seed << " (MOBISYNC_CRASH_SEED replays it)");
    std::mt19937_64 rng(seed);
    SimulatorOptions options;
    options.latency_ms = 40;  // slowed, so a kill lands between sends
    OutboxCrashWorkspace w(options);
    constexpr int kRounds = 3, kMessages = 25;
    int in_flight_total = 0;
    for (int round = 0; round < kRounds; ++round) {
      std::string to;
      for (int i = 0; i < kMessages; ++i) to += (i ? "," : "") + recipient(round, i);
      const std::size_t before = w.sim.messages().size();
      const auto target = before + std::uniform_int_distribution<std::size_t>(1, kMessages - 1)(rng);
      ChildProcess child(w.send(to), w.env(), w.dir.path());
      while (child.running() && w.sim.messages().size() < target) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (!child.running()) {
        const int status = child.wait();
        FAIL("round " << round << ": send ended before its kill point, status " << status << ": "
                      << child.readStdout() << child.readStderr());
      }
      child.kill(SIGKILL);
      REQUIRE(child.wait() == -SIGKILL);

      int in_flight = 0, queued = 0;
      for (const auto& [id, m] : w.rows()) {
        in_flight += m.status == "sending" ? 1 : 0;
        queued += m.status == "queued" ? 1 : 0;
      }
      in_flight_total += in_flight;
      MESSAGE("round " << round << ": killed after " << w.sim.messages().size() - before
                       << " received; " << in_flight << " sending, " << queued << " queued");
      // The next send drains what the killed one left (its holder is gone: no timeout to wait).
      auto next = runProcess(w.send(recipient(round, 99)), w.env());
      INFO(next.out << next.err);
      REQUIRE(next.exit_code == 0);

      const auto received = w.received();
      int twice = 0;
      for (const auto& [id, m] : w.rows()) {
        INFO("row " << id << " to " << m.recipient);
        CHECK(m.status == "submitted");
        const int times = received.count("ms-" + std::to_string(id))
                              ? received.at("ms-" + std::to_string(id))
                              : 0;
        CHECK(times >= 1);
        if (times > 1) twice += times - 1;
      }
      CHECK(twice <= in_flight_total);
      // Rows are taken 'sending' by the batch, but each outcome is written right after its
      // send: at most the one message on the wire at each kill is sent twice.
      CHECK(twice <= round + 1);
    }
  }
}
