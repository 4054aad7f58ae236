// SPDX-License-Identifier: Apache-2.0
// Running mobisync for a safety harness case and reading what a run left behind.
#include "reliability/safety_harness_runs.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>

#include "state/state_store.hpp"

namespace mobisync::test::safety {

thread_local std::string* t_trace = nullptr;
thread_local const CaseSpec* t_spec = nullptr;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// How long past its bound a run may go before it is killed (and the case reports (d)).
constexpr double kKillGraceSeconds = 15;

Holdings providerHoldings(SimulatorProcess& sim) {
  Holdings out;
  auto all = sim.contacts();
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto c = all->getObject(static_cast<unsigned>(i));
    auto apps = c->getArray("applications");
    if (apps->size() == 0) continue;
    Held& h = out[c->getValue<std::string>("msisdn")];
    h.name = c->optValue<std::string>("name", "");
    h.reference = c->optValue<std::string>("reference", "");
    for (std::size_t k = 0; k < apps->size(); ++k) {
      h.applications.insert(apps->getElement<std::string>(static_cast<unsigned>(k)));
    }
  }
  return out;
}

void parseReport(RunObservation& r) {
  try {
    auto start = r.out.find('{');
    if (start == std::string::npos) return;
    auto root = Poco::JSON::Parser().parse(r.out.substr(start)).extract<Poco::JSON::Object::Ptr>();
    auto job = root->getArray("jobs")->getObject(0);
    r.json_outcome = job->getValue<std::string>("outcome");
    r.json_error = job->optValue<std::string>("error", "");
    r.json_blocked = job->optValue<std::string>("blocked", "");
    auto plan = job->getObject("plan");
    r.plan_add = plan->getValue<long>("add");
    r.plan_remove = plan->getValue<long>("remove");
    r.plan_update = plan->getValue<long>("update");
    r.kept_rejected = plan->optValue<long>("kept_rejected", 0);
    r.calls = job->getObject("result")->getValue<long>("calls");
    r.fetched = job->getObject("result")->getValue<long>("fetched");
    r.json_ok = true;
  } catch (const std::exception&) {
    r.json_ok = false;
  }
}

/// One line per run and the last lines of its stderr, for a replay.
void trace(std::string& out, const RunObservation& r, const RaceOutcome* race) {
  std::ostringstream s;
  s << "  $ mobisync";
  for (const auto& a : r.args) s << " " << a;
  s << "\n    exit " << r.exit_code << (r.killed ? " (killed)" : "") << " in " << r.seconds
    << " s (bound " << r.bound_seconds << " s)";
  if (r.json_ok) {
    s << ", outcome " << r.json_outcome << ", plan +" << r.plan_add << " -" << r.plan_remove << " ~"
      << r.plan_update << ", kept_rejected " << r.kept_rejected;
  }
  if (race != nullptr && race->seen_open) {
    s << ", race "
      << (race->acted ? (race->mid_read ? "acted mid-read" : "acted after the read") : "missed")
      << " at byte " << race->offset << " of " << race->size;
  }
  if (!r.json_error.empty()) s << "\n    error: " << r.json_error.substr(0, 300);
  if (!r.json_blocked.empty()) s << "\n    blocked: " << r.json_blocked.substr(0, 300);
  std::string err = r.err.size() > 1500 ? "..." + r.err.substr(r.err.size() - 1500) : r.err;
  for (auto& ch : err) {
    if (ch == '\0') ch = ' ';
  }
  if (!err.empty()) s << "\n    stderr: " << err;
  out += s.str() + "\n";
}

}  // namespace

StateRead readState(const std::string& path) {
  StateRead out;
  if (!fs::exists(path)) return out;
  state::StateStore store(path);
  for (auto& p : store.pairs("people")) {
    Held& h = out.holdings[p.msisdn];
    h.applications.insert(p.application);
    h.name = p.name;
    h.reference = p.reference;
  }
  for (const auto& r : store.runs("people", 0)) {  // newest first
    if (out.last_run == 0) {
      out.last_run = r.id;
      out.last_outcome = r.outcome;
      out.last_message = r.message;
    }
    if (out.last_success == 0 && r.outcome == "succeeded") out.last_success = r.id;
  }
  return out;
}

Snapshot snapshot(SyncWorkspace& w, StateRead* state_out) {
  Snapshot s;
  s.provider = providerHoldings(w.sim());
  StateRead st = readState(w.dir().file("state.db"));
  s.state = st.holdings;
  s.last_run = st.last_run;
  s.last_success = st.last_success;
  auto calls = w.calls();
  s.sim_seq = calls.empty() ? 0 : calls.back().seq;
  if (state_out != nullptr) *state_out = std::move(st);
  return s;
}

CallSummary summarize(SyncWorkspace& w, long from_seq) {
  CallSummary c;
  for (const auto& call : w.calls()) {
    if (call.seq <= from_seq) continue;
    ++c.requests;
    if (call.fault != "none") ++c.faulted;
    if (call.status == 401) ++c.unauthorized;
    if (call.op == "delete" && call.status == 200) ++c.deleted;
  }
  return c;
}

/// A loopback port nothing listens on (bound, then closed).
int deadPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// Where the provider and the state disagree after a step, and what the step changed.
void traceDifferences(std::string& out, const Snapshot& before, const Snapshot& after) {
  auto show = [](const Holdings& h, const std::string& n) {
    auto it = h.find(n);
    if (it == h.end()) return std::string("-");
    std::string apps;
    for (const auto& a : it->second.applications) apps += (apps.empty() ? "" : ",") + a;
    return apps + " \"" + it->second.name.substr(0, 30) + "\"/" + it->second.reference;
  };
  std::set<std::string> numbers;
  for (const auto* h : {&before.state, &after.state, &before.provider, &after.provider}) {
    for (const auto& [n, held] : *h) numbers.insert(n);
  }
  for (const auto& n : numbers) {
    const std::string ps = show(before.provider, n), pa = show(after.provider, n);
    const std::string ss = show(before.state, n), sa = show(after.state, n);
    if (ps == pa && ss == sa && pa == sa) continue;
    out += "    " + n + ": provider " + ps + " -> " + pa + "; state " + ss + " -> " + sa + "\n";
  }
}

RunObservation runMobisync(SyncWorkspace& w, std::vector<std::string> args, double bound,
                           int& counter, const RaceStarter& start_race,
                           RaceOutcome* race_out) {
  RunObservation r;
  r.args = args;
  r.bound_seconds = bound;
  const std::string dir = w.dir().file("runs/" + std::to_string(++counter));
  fs::create_directories(dir);
  const auto started = Clock::now();
  ChildProcess child(w.commandLine(args), w.environment(), dir);
  std::unique_ptr<FileRace> race = start_race ? start_race(child.pid()) : nullptr;
  auto code = child.waitFor(
      std::chrono::milliseconds(static_cast<long>((bound + kKillGraceSeconds) * 1000)));
  if (!code) {
    r.killed = true;
    child.kill(SIGKILL);
    code = child.wait();
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  r.exit_code = *code;
  if (race) {
    RaceOutcome o = race->result();
    if (race_out != nullptr) *race_out = o;
  }
  r.out = child.readStdout();
  r.err = child.readStderr();
  parseReport(r);
  // The bound the run is held to counts the calls it planned, once it has said how many.
  if (r.json_ok && t_spec != nullptr) {
    r.bound_seconds = std::min(r.bound_seconds, deadlineSeconds(*t_spec, r.calls));
  }
  if (t_trace != nullptr) trace(*t_trace, r, race ? race_out : nullptr);
  return r;
}

/// A sync, run again while a killed earlier run's lease (2 s) has not expired.
RunObservation sync(SyncWorkspace& w, std::vector<std::string> extra, double bound, int& counter,
                    const RaceStarter& start_race, RaceOutcome* race_out) {
  std::vector<std::string> args = {"sync", "--format", "json", "--progress", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunObservation r = runMobisync(w, args, bound, counter, start_race, race_out);
  for (int i = 0; i < 3 && r.exit_code == 75 && r.json_outcome == "skipped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2300));
    r = runMobisync(w, args, bound, counter, start_race, race_out);
  }
  return r;
}

}  // namespace mobisync::test::safety
