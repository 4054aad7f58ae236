// SPDX-License-Identifier: Apache-2.0
// The safety harness's invariants for one faulted or damaged step: which gates must hold, and
// (a), (c) and (d) for the step's run.
#include "reliability/safety_harness_checks.hpp"

#include <algorithm>
#include <cmath>

#include "reliability/safety_harness_text.hpp"

namespace mobisync::test::safety {

namespace {

const std::set<std::string> kOutcomes = {"succeeded", "partial", "failed", "blocked", "skipped"};

/// One row of the intact version and what was done to it.
struct Row {
  const Contact* contact = nullptr;
  Damage damage = Damage::None;
};

std::map<std::string, Row> rowsByNumber(const SourceVersion& v, const DamagePlan& damage) {
  std::map<std::string, Row> out;
  for (const auto& c : v.contacts) {
    auto it = damage.find(c.id);
    out[msisdnOf(c.id)] = Row{&c, it == damage.end() ? Damage::None : it->second};
  }
  return out;
}

bool protectedDamage(Damage d) { return d != Damage::None && d != Damage::UnreadableNumber; }

std::int64_t allowedBy(double value, bool percent, std::int64_t of, bool round_up) {
  if (!percent) return static_cast<std::int64_t>(value);
  const double exact = static_cast<double>(of) * value / 100.0;
  return static_cast<std::int64_t>(round_up ? std::ceil(exact) : std::floor(exact));
}

}  // namespace

GateExpectation expectedGates(const StepFacts& f) {
  GateExpectation g;
  const auto rows = rowsByNumber(*f.intact, *f.damage);
  // Removals the plan must contain (every protection honoured) and may contain (none).
  std::int64_t fewest = 0;
  std::int64_t most = 0;
  std::int64_t state_pairs = 0;
  for (const auto& [msisdn, held] : f.before->state) {
    for (const auto& a : held.applications) {
      ++state_pairs;
      auto it = rows.find(msisdn);
      if (it == rows.end()) {
        ++fewest;
        ++most;
        continue;
      }
      const bool wanted = applicationsOf(*it->second.contact).count(a) != 0;
      if (!wanted) ++fewest;
      if (!wanted || it->second.damage != Damage::None) ++most;
    }
  }
  bool percent = false;
  const double max_delete = f.spec->maxDeleteValue(percent);
  const auto delete_floor = allowedBy(max_delete, percent, state_pairs, false);
  std::ostringstream why;
  if (fewest > delete_floor) {
    g.must_block = true;
    why << "at least " << fewest << " removals of " << state_pairs << " pairs exceed max_delete";
  } else if (most > delete_floor) {
    g.may_block = true;
    why << "up to " << most << " removals of " << state_pairs << " pairs may exceed max_delete";
  }
  // Unreadable numbers against max_reject. An unquoted delimiter in a cell left of the number
  // may shift it, so such rows may count too.
  const int unreadable = unreadableCount(*f.damage);
  int maybe_unreadable = unreadable;
  const auto& cols = f.spec->layout.columns;
  const auto number_at = std::find(cols.begin(), cols.end(), "msisdn") - cols.begin();
  const bool shiftable =
      (std::find(cols.begin(), cols.end(), "name") - cols.begin()) < number_at ||
      (std::find(cols.begin(), cols.end(), "reference") - cols.begin()) < number_at;
  for (const auto& [id, d] : *f.damage) {
    if (d == Damage::ExtraDelimiter && shiftable) ++maybe_unreadable;
  }
  const double max_reject = f.spec->maxRejectValue(percent);
  const auto reject_ceil = allowedBy(max_reject, percent, f.rows, true);
  const auto reject_floor = allowedBy(max_reject, percent, f.rows, false);
  if (unreadable > reject_ceil) {
    g.must_block = true;
    why << (why.tellp() > 0 ? "; " : "") << unreadable << " unreadable numbers in " << f.rows
        << " rows exceed max_reject";
  } else if (maybe_unreadable > reject_floor) {
    g.may_block = true;
    why << (why.tellp() > 0 ? "; " : "") << "up to " << maybe_unreadable
        << " unreadable numbers in " << f.rows << " rows may exceed max_reject";
  }
  g.may_block = g.may_block || g.must_block;
  g.reason = why.str();
  return g;
}

void checkStep(const StepFacts& f, Violations& out) {
  const RunObservation& run = *f.run;
  const Snapshot& before = *f.before;
  const Snapshot& after = *f.after;
  const auto rows = rowsByNumber(*f.intact, *f.damage);
  const GateExpectation gates = expectedGates(f);
  const bool fetch_must_fail = f.race.mid_read;
  const int unreadable = unreadableCount(*f.damage);
  bool percent = false;
  const double max_reject = f.spec->maxRejectValue(percent);
  const bool reject_gate_exceeded = unreadable > allowedBy(max_reject, percent, f.rows, true);

  // (a) No pair the intact source holds was removed at the provider. Rows whose number cell
  // was spoiled are the one exception, and only while their count is within max_reject.
  const PairSet provider_before = pairsOf(before.provider);
  const PairSet provider_after = pairsOf(after.provider);
  std::vector<std::string> lost;
  std::vector<std::string> removed;
  for (const auto& p : provider_before) {
    if (provider_after.count(p) != 0) continue;
    removed.push_back(p);
    const std::string msisdn = p.substr(0, p.find(' '));
    const std::string app = p.substr(p.find(' ') + 1);
    auto it = rows.find(msisdn);
    if (it == rows.end() || applicationsOf(*it->second.contact).count(app) == 0) continue;
    if (it->second.damage == Damage::UnreadableNumber && !reject_gate_exceeded) continue;
    lost.push_back(p + " (row " + damageName(it->second.damage) + ")");
  }
  if (!lost.empty()) {
    out.push_back("(a) removed pairs the intact source still holds: " + sample(lost) + " [exit " +
                  std::to_string(run.exit_code) + ", outcome " + run.recorded_outcome + "]");
  }

  // (d) The run ended within its deadline.
  checkDeadline(run, "step", out);
  if (run.killed) return;  // nothing it reported can be trusted; (b) still runs

  // (c) Exit code and recorded outcome match what happened.
  const std::string& outcome = run.recorded_outcome;
  const int code = run.exit_code;
  auto fail = [&](const std::string& what) {
    out.push_back("(c) " + what + " [exit " + std::to_string(code) + ", outcome " +
                  (outcome.empty() ? std::string("none recorded") : outcome) +
                  (run.json_error.empty() ? "" : ", error: " + head(run.json_error)) +
                  (run.json_blocked.empty() ? "" : ", blocked: " + head(run.json_blocked)) + "]");
  };
  static const std::set<int> kCodes = {0, 65, 69, 75, 76, 77};
  if (kCodes.count(code) == 0) {
    fail("exit code outside the documented ones; stderr: " + head(run.err));
    return;
  }
  if (outcome.empty() || kOutcomes.count(outcome) == 0) {
    fail("no run recorded with a known outcome");
    return;
  }
  if (!run.json_ok) {
    fail("`sync --format json` printed no readable report: " + head(run.out));
  } else if (run.json_outcome != outcome) {
    fail("the report says " + run.json_outcome + " but the state records " + outcome);
  }
  if ((code == 0) != (outcome == "succeeded")) fail("exit 0 goes with succeeded and only with it");
  // Blocked means a gate held removals and every other call was confirmed.
  if ((code == 65) != (outcome == "blocked")) fail("exit 65 goes with blocked and only with it");
  if (outcome == "skipped") fail("skipped although no other process held the job");
  if (code == 75 && f.spec->max_run_seconds == 0) {
    fail("exit 75 (stopped early) without max_run_seconds or a signal");
  }
  if (code == 75 && run.seconds + 0.5 < f.spec->max_run_seconds) {
    fail("exit 75 (stopped at max_run_seconds) after only " + std::to_string(run.seconds) + " s");
  }
  const bool moved = after.last_success != before.last_success;
  if (moved != (outcome == "succeeded")) {
    fail(std::string("the job's last success ") + (moved ? "moved" : "did not move"));
  }

  // What the run confirmed: its changes to the state, each of which the provider must hold.
  const bool confirmed_any = after.state.size() != before.state.size() ||
                             !std::equal(after.state.begin(), after.state.end(),
                                         before.state.begin(), [](const auto& x, const auto& y) {
                                           return x.first == y.first &&
                                                  x.second.applications == y.second.applications &&
                                                  x.second.name == y.second.name &&
                                                  x.second.reference == y.second.reference;
                                         });
  const PairSet state_before = pairsOf(before.state);
  const PairSet state_after = pairsOf(after.state);
  std::vector<std::string> untrue;
  for (const auto& p : state_after) {
    if (state_before.count(p) == 0 && provider_after.count(p) == 0) {
      untrue.push_back(p + " recorded, not at the provider");
    }
  }
  for (const auto& p : state_before) {
    if (state_after.count(p) == 0 && provider_after.count(p) != 0) {
      untrue.push_back(p + " erased from the state, still at the provider");
    }
  }
  if (!untrue.empty())
    fail("the state records what the provider did not confirm: " + sample(untrue));
  if (outcome == "partial" && !confirmed_any) fail("partial although nothing was confirmed");
  if (f.caps->partial_outcome && outcome == "failed" && confirmed_any && !fetch_must_fail) {
    fail("failed although some calls were confirmed (partial)");
  }

  if (fetch_must_fail) {
    if (code != 69 || outcome != "failed") {
      fail(std::string("the file was ") + raceName(f.step->race) + " at byte " +
           std::to_string(f.race.offset) + " of " + std::to_string(f.race.size) +
           " while read: the fetch must fail with 69");
    }
    if (f.calls.requests != 0) {
      fail("a read of a file changed mid-read led to " + std::to_string(f.calls.requests) +
           " provider calls");
    }
    return;
  }

  const bool auth_fault = f.step->fault == Fault::WrongPassword || f.step->fault == Fault::Revoked;
  if (auth_fault && f.calls.unauthorized > 0) {
    if (code != 77 || outcome != "failed")
      fail("the provider refused the credentials: expected 77 and failed");
    if (f.calls.unauthorized > 2L * f.spec->concurrency) {
      fail(std::to_string(f.calls.unauthorized) +
           " calls answered 401: a 401 must stop the run at once");
    }
  }
  if (f.step->fault == Fault::Down && run.json_ok && run.calls > 0 &&
      (code != 69 || outcome != "failed")) {
    fail("the provider refused every connection: expected 69 and failed");
  }

  if (gates.must_block && outcome != "blocked" && outcome != "failed" && outcome != "partial") {
    fail("a gate must hold the removals (" + gates.reason + ")");
  }
  if (gates.must_block && f.calls.deleted > 0) {
    fail(std::to_string(f.calls.deleted) +
         " removals carried out although a gate must hold them (" + gates.reason + ")");
  }
  if (!gates.may_block && outcome == "blocked") {
    fail("blocked although no gate is near its limit");
  }
  // Nothing changed the file while it was read, so the read must have taken every row.
  if (run.json_ok && run.fetched != f.rows) {
    fail("the source gave " + std::to_string(run.fetched) + " of the file's " +
         std::to_string(f.rows) + " rows although nothing changed it mid-read");
    return;
  }

  // The reject file holds exactly the bad rows: every row with text no reader can take, none
  // of the intact ones, and no provider refusals when the provider refused the credentials.
  std::map<long, std::string> rejected;  // line -> reason
  long provider_lines = 0;
  for (const auto& r : f.rejects) {
    const auto colon = r.position.rfind(':');
    if (r.position.rfind("people.csv:", 0) == 0 && colon != std::string::npos) {
      rejected[std::stol(r.position.substr(colon + 1))] = r.reason;
    } else if (r.position == "provider") {
      ++provider_lines;
    }
  }
  auto was_rejected = [&](int id) {
    return f.lines != nullptr && rejected.count(f.lines->at(id)) != 0;
  };
  std::vector<std::string> wrongly;
  std::vector<std::string> missed;
  for (const auto& c : f.intact->contacts) {
    auto it = f.damage->find(c.id);
    const Damage d = it == f.damage->end() ? Damage::None : it->second;
    const long line = f.lines != nullptr ? f.lines->at(c.id) : 0;
    if (d == Damage::None && was_rejected(c.id)) {
      wrongly.push_back("line " + std::to_string(line) + ": " + head(rejected[line], 120));
    }
    const bool must_reject =
        d == Damage::Latin1 || d == Damage::ExtraDelimiter || d == Damage::UnreadableNumber;
    if (must_reject && !was_rejected(c.id)) {
      missed.push_back("line " + std::to_string(line) + " (" + damageName(d) + ")");
    }
  }
  if (!wrongly.empty()) fail("intact rows rejected: " + sample(wrongly));
  if (!missed.empty()) fail("bad rows not in the reject file: " + sample(missed));
  if (auth_fault && provider_lines > 0) {
    fail("the reject file lists " + std::to_string(provider_lines) +
         " provider lines although the provider refused the credentials");
  }

  if (outcome == "blocked") return;  // removals held: the state is not expected to reach the source

  // Every planned call confirmed: for each number the state holds what the read asked for
  // (a protected row keeps what it had; a row whose number was unreadable loses it or, if the
  // engine could read it after all, gets it), with the intact rows' names.
  std::vector<std::string> unmet;
  std::set<std::string> numbers;
  for (const auto& [n, h] : before.state) numbers.insert(n);
  for (const auto& [n, r] : rows) numbers.insert(n);
  for (const auto& [n, h] : after.state) numbers.insert(n);
  for (const auto& n : numbers) {
    auto now = after.state.find(n);
    const std::set<std::string> held =
        now == after.state.end() ? std::set<std::string>{} : now->second.applications;
    auto then = before.state.find(n);
    const std::set<std::string> had =
        then == before.state.end() ? std::set<std::string>{} : then->second.applications;
    auto row = rows.find(n);
    if (row == rows.end()) {
      if (!held.empty()) unmet.push_back(n + " still holds " + list(held));
      continue;
    }
    const Contact& c = *row->second.contact;
    const auto wanted = applicationsOf(c);
    const Damage d = row->second.damage;
    // An unreadable number is not in the read at all: its pairs go (the gate is not exceeded
    // here, or the run would be blocked). A rejected row with a readable number keeps what it
    // had; a damaged row the reader took is applied like any other.
    bool ok = d == Damage::UnreadableNumber              ? held.empty()
              : protectedDamage(d) && was_rejected(c.id) ? held == had
                                                         : held == wanted;
    if (ok && d == Damage::None && !held.empty() &&
        (now->second.name != c.name || now->second.reference != c.reference)) {
      unmet.push_back(n + " recorded as \"" + head(now->second.name, 40) + "\"/" +
                      now->second.reference + ", source says \"" + c.name + "\"/" + c.reference);
      continue;
    }
    if (!ok) {
      unmet.push_back(n + " holds " + list(held) + ", wants " + list(wanted) + " (row " +
                      damageName(d) + ")");
    }
  }
  const bool complete = unmet.empty();
  if (outcome == "succeeded" && !complete) {
    fail("succeeded although not every planned change is confirmed: " + sample(unmet));
  }
  // The model allows either answer for a row whose number is unreadable, so a run whose state
  // fits it counts as complete only if the provider agrees with the state everywhere: a call
  // carried out whose answer was lost leaves them apart.
  const bool provider_agrees = pairsOf(after.state) == provider_after;
  if (complete && provider_agrees && outcome != "succeeded" && !auth_fault) {
    fail("every planned change is confirmed, yet the run did not succeed");
  }
}

}  // namespace mobisync::test::safety
