// SPDX-License-Identifier: Apache-2.0
// NormaliserProcesses: forked workers answer exactly as the normaliser in this process, from
// several threads at once, and a worker that dies costs only time.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>

#include "model/msisdn.hpp"
#include "support/number_spellings.hpp"
#include "sync/normaliser_processes.hpp"

using mobisync::model::MsisdnNormalizer;
using mobisync::sync::NormaliserProcesses;

namespace {

std::string answer(const mobisync::Result<std::string>& r) {
  return r ? "accepted " + *r : "rejected: " + r.error().message();
}

/// Spellings for GB and the answers of the normaliser in this process.
struct Sample {
  std::vector<std::string> cells;
  std::vector<std::string> expected;
  explicit Sample(const MsisdnNormalizer& n, std::size_t count) {
    const unsigned seed = std::random_device{}();
    MESSAGE("seed " << seed);
    mobisync::test::NumberSpellings gen(seed);
    for (std::size_t i = 0; i < count; ++i) {
      cells.push_back(gen.next(n.region()));
      expected.push_back(answer(n.normalize(cells.back())));
    }
  }
  std::vector<std::string_view> views() const { return {cells.begin(), cells.end()}; }
};

void checkSame(const Sample& s, const std::vector<mobisync::Result<std::string>>& got) {
  REQUIRE(got.size() == s.cells.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("cell \"" << s.cells[i] << "\"");
    CHECK(answer(got[i]) == s.expected[i]);
  }
}

}  // namespace

TEST_SUITE("core.read_stage") {
  TEST_CASE("forked normaliser workers answer as this process does, from several threads") {
    const MsisdnNormalizer gb("GB");
    const Sample sample(gb, 2000);
    NormaliserProcesses processes(gb, 2);
    CHECK(processes.workers() == 2);
    std::vector<std::vector<mobisync::Result<std::string>>> got(3);
    std::vector<std::thread> threads;
    for (auto& g : got) threads.emplace_back([&] { g = processes.normalize(sample.views()); });
    for (auto& t : threads) t.join();
    for (const auto& g : got) checkSame(sample, g);
    CHECK(processes.normalize({}).empty());
  }

  TEST_CASE("a normaliser worker that died costs time, not answers") {
    const MsisdnNormalizer gb("GB");
    const Sample sample(gb, 300);
    NormaliserProcesses processes(gb, 1);
    REQUIRE(processes.pids().size() == 1);
    ::kill(processes.pids().front(), SIGKILL);
    checkSame(sample, processes.normalize(sample.views()));  // answered in this process
    CHECK(processes.workers() == 0);
    checkSame(sample, processes.normalize(sample.views()));
  }

  TEST_CASE("a normaliser worker that hangs costs its timeout once, not answers") {
    const MsisdnNormalizer gb("GB");
    const Sample sample(gb, 300);
    NormaliserProcesses processes(gb, 1, std::chrono::seconds(1));
    REQUIRE(processes.pids().size() == 1);
    ::kill(processes.pids().front(), SIGSTOP);  // alive, never answering; killed when given up
    checkSame(sample, processes.normalize(sample.views()));
    CHECK(processes.workers() == 0);
  }

  TEST_CASE("no workers: every batch is answered in this process") {
    const MsisdnNormalizer us("US");
    const Sample sample(us, 200);
    NormaliserProcesses processes(us, 0);
    CHECK(processes.workers() == 0);
    checkSame(sample, processes.normalize(sample.views()));
  }
}
