// SPDX-License-Identifier: Apache-2.0
// The safety harness's invariants beyond one step: the run's deadline (d), the recovery run (b)
// and (c), and secrets in files (e).
#include "reliability/safety_harness_checks.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "reliability/safety_harness_text.hpp"

namespace mobisync::test::safety {

namespace {

/// Start-up, reading a padded file and writing the state on a loaded two-core machine.
constexpr double kSlackSeconds = 5;

std::string runLabel(const RunObservation& run) {
  std::string s = "mobisync";
  for (const auto& a : run.args) s += " " + a;
  return s;
}

}  // namespace

PairSet pairsOf(const Holdings& h) {
  PairSet out;
  for (const auto& [msisdn, held] : h) {
    for (const auto& a : held.applications) out.insert(msisdn + " " + a);
  }
  return out;
}

double deadlineSeconds(const CaseSpec& spec, long planned_calls) {
  const double per_call = spec.max_attempts * (spec.timeout_ms + spec.backoff_max_ms) / 1000.0;
  const long rounds = (planned_calls + spec.concurrency - 1) / spec.concurrency;
  double bound = static_cast<double>(rounds) * per_call;
  if (spec.max_run_seconds > 0) bound = std::min(bound, static_cast<double>(spec.max_run_seconds));
  return bound + kSlackSeconds;
}

double deadlineSeconds(const CaseSpec& spec, const CallSummary& calls) {
  constexpr double kAnsweredSeconds = 0.05;
  const double faulted = static_cast<double>(calls.faulted + calls.unauthorized);
  const double answered = static_cast<double>(calls.requests) - faulted;
  const double work =
      faulted * (spec.timeout_ms + spec.backoff_max_ms) / 1000.0 + answered * kAnsweredSeconds;
  double bound = work / spec.concurrency;
  if (spec.max_run_seconds > 0) bound = std::min(bound, static_cast<double>(spec.max_run_seconds));
  return bound + kSlackSeconds;
}

void checkDeadline(const RunObservation& run, const std::string& what, Violations& out) {
  if (run.killed || run.seconds > run.bound_seconds) {
    std::ostringstream s;
    s << "(d) " << what << ": `" << runLabel(run) << "` took " << run.seconds
      << " s, over its bound of " << run.bound_seconds << " s"
      << (run.killed ? " (still running: killed)" : "");
    out.push_back(s.str());
  }
}

void checkRecovery(const SourceVersion& intact, const Snapshot& before, const Snapshot& after,
                   const RunObservation& run, const std::vector<RejectLine>& rejects,
                   const PairSet& unsettled, int& tolerated, Violations& out) {
  checkDeadline(run, "recovery", out);
  std::vector<std::string> rejected;
  for (const auto& r : rejects) rejected.push_back(r.position + ": " + head(r.reason, 120));
  if (!rejected.empty()) out.push_back("(c) rows of an intact file rejected: " + sample(rejected));
  const PairSet wanted = desiredPairs(intact);
  const PairSet provider = pairsOf(after.provider);
  std::vector<std::string> diff;
  PairSet gap;  // differences in pairs whose outcome the engine could not know
  const auto differs = [&](const std::string& p, const char* how) {
    if (unsettled.count(p) != 0) {
      gap.insert(p);
    } else {
      diff.push_back(how + p);
    }
  };
  for (const auto& p : wanted) {
    if (provider.count(p) == 0) differs(p, "missing ");
  }
  for (const auto& p : provider) {
    if (wanted.count(p) == 0) differs(p, "extra ");
  }
  tolerated += static_cast<int>(gap.size());
  if (!diff.empty()) {
    out.push_back(
        "(b) after the faults cleared and with an intact file the provider differs from "
        "the source: " +
        sample(diff) + " [exit " + std::to_string(run.exit_code) + "]");
  }
  std::vector<std::string> details;
  for (const auto& c : intact.contacts) {
    auto it = after.provider.find(msisdnOf(c.id));
    if (it == after.provider.end()) continue;
    if (it->second.name != c.name || it->second.reference != c.reference) {
      details.push_back(msisdnOf(c.id) + " is \"" + head(it->second.name, 40) + "\"/" +
                        it->second.reference + ", source says \"" + c.name + "\"/" + c.reference);
    }
  }
  if (!details.empty())
    out.push_back("(b) provider details differ from the source: " + sample(details));
  PairSet state_view = pairsOf(after.state);
  PairSet provider_view = provider;
  for (const auto& p : gap) {
    state_view.erase(p);
    provider_view.erase(p);
  }
  if (state_view != provider_view) {
    out.push_back("(b) the state differs from the provider after the recovery run");
  }
  if (run.exit_code != 0 || run.recorded_outcome != "succeeded") {
    out.push_back("(c) recovery run: exit " + std::to_string(run.exit_code) + ", outcome " +
                  run.recorded_outcome + ", expected 0 and succeeded; stderr: " + head(run.err));
  } else if (after.last_success == before.last_success) {
    out.push_back("(c) recovery run succeeded but the job's last success did not move");
  }
}

void checkSecrets(const std::string& dir, const std::vector<std::string>& secrets,
                  const std::vector<std::string>& extra_texts, Violations& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& s : secrets) {
      if (bytes.find(s) != std::string::npos) {
        out.push_back("(e) the password appears in " + it->path().filename().string());
      }
    }
  }
  for (const auto& text : extra_texts) {
    for (const auto& s : secrets) {
      if (text.find(s) != std::string::npos)
        out.push_back("(e) the password appears in `state show`");
    }
  }
}

}  // namespace mobisync::test::safety
