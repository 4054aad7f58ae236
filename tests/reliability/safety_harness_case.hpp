// SPDX-License-Identifier: Apache-2.0
// One seeded case of the safety harness, drawn whole from its seed before anything runs: the
// job's settings, the source's layout and size, and for each step the damage to the file, a
// writer racing the read, and the provider's faults. describe() prints it for a failure report.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "reliability/safety_harness_source.hpp"

namespace mobisync::test::safety {

/// What the engine, the CSV plugin and the simulator under test support, probed once per
/// process, so the harness uses a key or a fault as soon as it lands and not before.
struct Capabilities {
  bool max_reject = false;           ///< [[job]] max_reject
  bool max_run_seconds = false;      ///< [[job]] max_run_seconds
  bool encoding = false;             ///< csv source key `encoding`
  bool partial_outcome = false;      ///< the engine records "partial"
  std::set<std::string> sim_faults;  ///< parameters POST /_sim/faults accepts
  std::string describe() const;
};
const Capabilities& capabilities();

/// A writer changing the CSV file while `mobisync sync` reads it.
enum class Race {
  None,
  RewriteNext,  ///< rewritten in place (truncate, then write) with the next version
  RewriteSame,  ///< rewritten in place with the same bytes, as a re-export of unchanged data
  Truncate,     ///< cut to `cut` of its size
  AfterRead,    ///< rewritten with the next version once the read is over (must not matter)
};
const char* raceName(Race r);

/// A provider fault for one step.
enum class Fault {
  None,
  Http500,        ///< error_rate
  Throttle429,    ///< rate_429, Retry-After 0
  Reset,          ///< reset_rate
  Stall,          ///< stall before the answer, beyond timeout_ms
  Truncated,      ///< body cut short of its Content-Length
  Trickle,        ///< body one byte at a time without Content-Length (when the simulator can)
  StallBody,      ///< half the body, then a long pause (when the simulator can)
  Down,           ///< nothing listens at base_url: every connection refused
  RefuseAfter,    ///< the provider stops listening after `after_calls` calls (when it can)
  WrongPassword,  ///< the run's password is not the account's: every call answered 401
  Revoked,        ///< the simulator answers 401 to every call (when it can)
};
const char* faultName(Fault f);

struct StepSpec {
  double damage_rate = 0;  ///< share of eligible rows damaged with the number left readable
  int unreadable = 0;      ///< rows whose number cell is spoiled
  Race race = Race::None;
  double race_at = 0;  ///< act once the reader's offset passes this share of the file
  double cut = 1;      ///< Truncate: the share of the file kept
  Fault fault = Fault::None;
  double fault_rate = 0;
  int fault_ms = 0;
  int after_calls = 0;  ///< RefuseAfter: calls answered before the port closes
  /// POST /_sim/faults query that sets the fault ("" for none or for config-level faults).
  std::string simFaultQuery(int timeout_ms) const;
};

struct CaseSpec {
  std::uint64_t seed = 0;
  int rows = 0;
  Layout layout;
  int concurrency = 1;
  int timeout_ms = 300;
  int max_attempts = 2;
  int backoff_initial_ms = 10;
  int backoff_max_ms = 100;
  std::string max_delete;   ///< "" for the default (10%)
  std::string max_reject;   ///< "" for the default (1%)
  int max_run_seconds = 0;  ///< 0: unset
  std::string log_level = "information";
  std::string password;        ///< the account's; distinctive so a leak is found by grep
  std::string wrong_password;  ///< what WrongPassword steps run with; just as secret
  std::vector<StepSpec> steps;

  /// Percent or count of max_delete and max_reject, with the documented defaults.
  double maxDeleteValue(bool& percent) const;
  double maxRejectValue(bool& percent) const;
  std::string describe() const;
};

/// The case of `seed`, using only what `caps` says exists.
CaseSpec makeCase(std::uint64_t seed, const Capabilities& caps);

/// An independent generator for one purpose of one case ("source", "damage", ...), so adding a
/// draw for one purpose leaves every other purpose's draws, and so the replay, unchanged.
std::mt19937_64 streamFor(std::uint64_t seed, const char* purpose);

}  // namespace mobisync::test::safety
