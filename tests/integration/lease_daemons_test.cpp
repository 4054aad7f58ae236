// SPDX-License-Identifier: Apache-2.0
// Two `mobisync run` daemons (real processes) with one config and one state, on SQLite and on
// PostgreSQL: every schedule tick's run is made by exactly one of them, the other counts the
// tick skipped; the lease holder killed with SIGKILL mid-job is replaced once its lease expires,
// and the survivor finishes the job with nothing lost and only the calls in flight repeated.
#include <doctest/doctest.h>

#include "lease_daemons_fixture.hpp"

using namespace lease_fixture;

namespace {

void twoDaemonsShareOneState(const SharedState& state) {
  mobisync::test::SimulatorOptions slow;
  slow.latency_ms = 100;
  SimulatorProcess sim(slow);
  TempDir dir;
  dir.write("people.csv", people(kFirstRows));
  const std::string cfg = dir.write("mobisync.toml", config(sim, state));
  Daemon a = startDaemon(cfg, state, dir);
  Daemon b = startDaemon(cfg, state, dir);
  auto logs = [&] { return a.log() + "\n----\n" + b.log(); };

  // Both daemons fire at every tick; one applies the job, the other finds it leased.
  REQUIRE_MESSAGE(eventually([&] { return a.runs() + b.runs() >= 4; }),
                  logs());
  CHECK(sim.subscriptions().size() == static_cast<std::size_t>(kFirstRows));
  // Between ticks, every successful run recorded in the state is one some daemon counted, and
  // back. (A run that failed before it could record itself, e.g. its state connection refused,
  // is counted by its daemon only.)
  CHECK_MESSAGE(eventually([&] { return succeededRuns(state) == a.succeeded() + b.succeeded(); },
                           std::chrono::seconds(30)),
                succeededRuns(state) << " runs succeeded in the state, " << a.succeeded()
                                     << " + " << b.succeeded() << " counted\n"
                                     << logs());
  CHECK(a.leaseSkipped() + b.leaseSkipped() >= 1);
  // Each tick each daemon either ran the job or counted it skipped (they started a moment
  // apart, so one may have seen a tick more).
  const double ticks_a = a.runs() + a.leaseSkipped(), ticks_b = b.runs() + b.leaseSkipped();
  CHECK(std::abs(ticks_a - ticks_b) <= 2);
  checkOneRunPerTick(runsOldestFirst(state));

  // A long run: 280 more contacts at 100 ms a call over two connections.
  dir.write("people.csv", people(kAllRows));
  REQUIRE_MESSAGE(eventually([&] {
                    return sim.subscriptions().size() >= static_cast<std::size_t>(kFirstRows + 40);
                  }),
                  logs());
  std::optional<mobisync::state::LeaseRow> lease;
  {
    mobisync::state::StateStore store(state.location);
    lease = mobisync::state::LeaseStore(store).find("people");
  }
  REQUIRE(lease.has_value());
  const int holder_pid = holderPid(lease->holder);
  REQUIRE_MESSAGE((holder_pid == a.process->pid() || holder_pid == b.process->pid()),
                  lease->holder);
  Daemon& holder = holder_pid == a.process->pid() ? a : b;
  Daemon& other = holder_pid == a.process->pid() ? b : a;
  // Let the other daemon meet the running lease at a tick, so the kill is mid-job for it too.
  const double skipped_before = other.leaseSkipped();
  REQUIRE_MESSAGE(eventually([&] { return other.leaseSkipped() > skipped_before; }),
                  other.log());
  const double other_runs_before_kill = other.runs();

  holder.process->kill(SIGKILL);
  REQUIRE(holder.process->waitFor(std::chrono::seconds(30)).has_value());
  // The simulator logs a request when it answers it, so the killed daemon's last calls still
  // arrive for a moment: wait until the log stands still. The survivor sends nothing before it
  // takes the lease over, which the token shows.
  std::size_t logged = sim.requests()->size();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::size_t now_logged = sim.requests()->size();
    if (now_logged == logged) break;
    logged = now_logged;
  }
  const auto at_kill = sim.requests();
  // What the provider has and what the state recorded when the killed daemon's last call landed:
  // the difference is what it had in flight or answered and not yet committed.
  std::set<std::string> provider_at_kill, recorded_at_kill;
  for (const auto& [msisdn, applications] : sim.subscriptions()) provider_at_kill.insert(msisdn);
  {
    mobisync::state::StateStore store(state.location);
    for (const auto& pair : store.pairs("people")) recorded_at_kill.insert(pair.msisdn);
    REQUIRE_MESSAGE(mobisync::state::LeaseStore(store).find("people")->token == lease->token,
                    "the survivor took over before the killed daemon's calls were all logged");
  }
  // The state never records what the provider did not confirm.
  CHECK(std::includes(provider_at_kill.begin(), provider_at_kill.end(), recorded_at_kill.begin(),
                      recorded_at_kill.end()));
  std::set<std::string> unrecorded_at_kill;
  std::set_difference(provider_at_kill.begin(), provider_at_kill.end(), recorded_at_kill.begin(),
                      recorded_at_kill.end(),
                      std::inserter(unrecorded_at_kill, unrecorded_at_kill.end()));
  const std::size_t created_at_kill = provider_at_kill.size();
  REQUIRE_MESSAGE(created_at_kill < static_cast<std::size_t>(kAllRows),
                  "the long run ended before the kill; nothing was tested");
  std::int64_t last_seq_at_kill = 0;
  for (std::size_t i = 0; i < at_kill->size(); ++i) {
    auto request = at_kill->getObject(static_cast<unsigned>(i));
    last_seq_at_kill = std::max<std::int64_t>(last_seq_at_kill, request->getValue<Poco::Int64>("seq"));
  }

  // The survivor takes the job over and finishes it.
  REQUIRE_MESSAGE(eventually([&] {
                    return sim.subscriptions().size() == static_cast<std::size_t>(kAllRows) &&
                           other.metrics().sum("mobisync_job_runs_total",
                                               {{"job", "people"}, {"outcome", "succeeded"}}) >
                               other_runs_before_kill;
                  }),
                  other.log());
  {
    mobisync::state::StateStore store(state.location);
    auto now_held = mobisync::state::LeaseStore(store).find("people");
    REQUIRE(now_held.has_value());
    CHECK(holderPid(now_held->holder) == other.process->pid());
    CHECK(now_held->token > lease->token);
    CHECK(store.countPairs("people") == kAllRows);
  }
  // A few quiet ticks more, then a clean stop.
  const double runs_after_takeover = other.runs();
  CHECK(eventually([&] { return other.runs() >= runs_after_takeover + 2; }));
  other.process->kill(SIGTERM);
  auto code = other.process->waitFor(std::chrono::seconds(60));
  REQUIRE(code.has_value());
  CHECK(*code == 0);

  // The provider holds exactly the source.
  auto subscriptions = sim.subscriptions();
  std::set<std::string> numbers;
  for (const auto& [msisdn, applications] : subscriptions) {
    numbers.insert(msisdn);
    CHECK(applications == std::set<std::string>{"contacts:42"});
  }
  CHECK(numbers == expectedNumbers(kAllRows));

  // Creates repeated: exactly the numbers the killed daemon created and never recorded, each
  // created once more by the survivor, which planned from the recorded state. Their number is
  // the calls in flight at the kill (one per connection) plus answered calls whose batch had not
  // committed yet, so above `concurrency` it is a warning, not a failure.
  std::map<std::string, std::vector<std::int64_t>> creates;
  auto requests = sim.requests();
  for (std::size_t i = 0; i < requests->size(); ++i) {
    auto r = requests->getObject(static_cast<unsigned>(i));
    if (r->getValue<std::string>("op") == "create") {
      creates[r->getValue<std::string>("msisdn")].push_back(r->getValue<Poco::Int64>("seq"));
    }
  }
  std::set<std::string> repeated_numbers;
  for (const auto& [msisdn, seqs] : creates) {
    if (seqs.size() < 2) continue;
    repeated_numbers.insert(msisdn);
    INFO(msisdn);
    CHECK(seqs.size() == 2);
    CHECK(*std::min_element(seqs.begin(), seqs.end()) <= last_seq_at_kill);
    CHECK(*std::max_element(seqs.begin(), seqs.end()) > last_seq_at_kill);
  }
  CHECK(repeated_numbers == unrecorded_at_kill);
  const std::size_t repeated = repeated_numbers.size();
  if (repeated > static_cast<std::size_t>(kConcurrency)) {
    WARN_MESSAGE(false, repeated << " creates repeated, more than the " << kConcurrency
                                 << " calls in flight: answered calls awaited their commit");
  }

  // The runs: the killed one stays "running" (it recorded nothing after the kill), every other
  // one finished, one per tick; each daemon logged a summary for exactly its finished runs.
  const auto runs = runsOldestFirst(state);
  checkOneRunPerTick(runs);
  CHECK(std::count_if(runs.begin(), runs.end(),
                      [](const auto& r) { return r.outcome == "running"; }) == 1);
  const std::size_t summaries = countLines(a.log(), "job=people source=") +
                                countLines(b.log(), "job=people source=");
  CHECK(summaries + 1 == runs.size());
  CHECK(other.log().find("outcome=skipped") != std::string::npos);
  for (const Daemon* d : {&a, &b}) {
    CHECK(d->log().find("demo-secret") == std::string::npos);
    if (!state.env.empty()) CHECK(d->log().find(state.env.begin()->second) == std::string::npos);
  }
}

}  // namespace

TEST_SUITE("integration.lease") {
  TEST_CASE("two daemons on one SQLite state apply each tick once and survive a kill") {
    TempDir state_dir;
    SharedState state;
    state.toml = "path = \"" + state_dir.path() + "/state.db\"\n";
    state.location.path = state_dir.path() + "/state.db";
    twoDaemonsShareOneState(state);
  }

  TEST_CASE("two daemons on one PostgreSQL state apply each tick once and survive a kill") {
    mobisync::test::PostgresProcess pg;
    SharedState state;
    const std::string url = "postgresql://" + pg.user() + "@127.0.0.1:" +
                            std::to_string(pg.port()) + "/" + pg.database();
    state.toml = "url = \"" + url + "\"\npassword_env = \"STATE_PASSWORD\"\n";
    state.env = {{"STATE_PASSWORD", pg.password()}};
    state.location.url = url;
    state.location.password = pg.password();
    twoDaemonsShareOneState(state);
  }
}
