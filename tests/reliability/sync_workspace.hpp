// SPDX-License-Identifier: Apache-2.0
// A job directory for reliability tests: config, CSV source, state and rejects beside a real
// simulator, and ways to run the real mobisync binary in it and compare the three views of the
// truth (the source, the provider's records, the state database).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// "msisdn application" strings: one subscription, comparable across provider, state and source.
using PairSet = std::set<std::string>;

/// One proxy request the simulator logged, as the tests count them.
struct LoggedCall {
  long seq = 0;
  std::string op;  ///< "create" or "delete"
  std::string msisdn;
  std::vector<std::string> applications;
  int status = 0;
  std::string fault;  ///< "none" unless the simulator injected one
};

/// What to put into the generated config.
struct WorkspaceOptions {
  SimulatorOptions sim;
  int concurrency = 4;
  std::string password = "demo-secret";  ///< what MOBIVATE_PASSWORD holds for runs
  std::string extra_provider;  ///< more [provider] lines
  std::string extra_job;       ///< more [[job]] lines
  /// The [[source]] table's lines after its name; "" reads people.csv through the csv plugin.
  std::string source;
  std::map<std::string, std::string> env;  ///< more environment for runs (a database password)
  std::string log_level = "information";
};

/// Owns a temp dir and a simulator; job "people" reads source "people" (people.csv through the
/// csv plugin unless WorkspaceOptions::source says otherwise).
/// Not thread-safe; one per test.
class SyncWorkspace {
 public:
  explicit SyncWorkspace(WorkspaceOptions options = {});

  SimulatorProcess& sim() { return sim_; }
  TempDir& dir() { return dir_; }
  const WorkspaceOptions& options() const { return options_; }
  WorkspaceOptions& options() { return options_; }

  /// Writes the config again (after changing options()).
  void writeConfig();
  /// Writes people.csv: header then one row per contact.
  void writeCsv(const std::string& text);

  /// `mobisync <args> -c <config>` with MOBIVATE_PASSWORD set, to completion.
  ProcessResult run(std::vector<std::string> args, std::chrono::seconds timeout =
                                                       std::chrono::seconds(300));
  /// The same command line, for ChildProcess.
  std::vector<std::string> commandLine(std::vector<std::string> args) const;
  std::map<std::string, std::string> environment() const;

  /// The provider's subscriptions, from /_sim/contacts.
  PairSet providerPairs();
  /// The state database's pairs of job "people"; opens and closes the database.
  PairSet statePairs();
  /// Every proxy request the simulator logged, oldest first.
  std::vector<LoggedCall> calls();
  /// Create plus delete requests the simulator has answered so far (from /_sim/stats).
  long callCount();

 private:
  WorkspaceOptions options_;
  TempDir dir_;
  SimulatorProcess sim_;
};

/// CSV text for contacts [first, first + count): "07930 0NNNNN,Person N,RN,<apps>", where
/// `apps_of(i)` gives the applications cell ("" for the job's default).
std::string contactsCsv(int first, int count, std::string (*apps_of)(int) = nullptr);
/// The normalised number of contact i ("4479300NNNNN"; i < 100000).
std::string msisdnOf(int i);

}  // namespace mobisync::test
