// SPDX-License-Identifier: Apache-2.0
#include "reliability/sync_workspace.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <iomanip>
#include <sstream>

#include "state/state_store.hpp"
#include "support/test_paths.hpp"

namespace mobisync::test {

SyncWorkspace::SyncWorkspace(WorkspaceOptions options)
    : options_(std::move(options)), sim_(options_.sim) {
  writeConfig();
}

void SyncWorkspace::writeConfig() {
  dir_.write("mobisync.toml",
             "[provider]\nbase_url = \"" + sim_.baseUrl() +
                 "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
                 "concurrency = " + std::to_string(options_.concurrency) + "\n" +
                 options_.extra_provider + "\n[state]\npath = \"state.db\"\n\n[log]\nlevel = \"" +
                 options_.log_level + "\"\n\n[plugins]\ndirs = [\"" + pluginDir() +
                 "\"]\n\n[[source]]\nname = \"people\"\n" +
                 (options_.source.empty() ? "plugin = \"csv\"\npath = \"people.csv\"\n"
                                          : options_.source) +
                 "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
                 "applications = [\"contacts:42\"]\nreject_file = \"people.rejects.csv\"\n" +
                 options_.extra_job);
}

void SyncWorkspace::writeCsv(const std::string& text) { dir_.write("people.csv", text); }

std::vector<std::string> SyncWorkspace::commandLine(std::vector<std::string> args) const {
  args.insert(args.begin(), mobisyncBinary());
  args.push_back("-c");
  args.push_back(dir_.file("mobisync.toml"));
  return args;
}

std::map<std::string, std::string> SyncWorkspace::environment() const {
  auto env = options_.env;
  env["MOBIVATE_PASSWORD"] = options_.password;
  return env;
}

ProcessResult SyncWorkspace::run(std::vector<std::string> args, std::chrono::seconds timeout) {
  return runProcess(commandLine(std::move(args)), environment(), timeout);
}

PairSet SyncWorkspace::providerPairs() {
  PairSet out;
  for (const auto& [msisdn, apps] : sim_.subscriptions()) {
    for (const auto& app : apps) out.insert(msisdn + " " + app);
  }
  return out;
}

PairSet SyncWorkspace::statePairs() {
  PairSet out;
  state::StateStore store(dir_.file("state.db"));
  for (const auto& p : store.pairs("people")) out.insert(p.msisdn + " " + p.application);
  return out;
}

std::vector<LoggedCall> SyncWorkspace::calls() {
  std::vector<LoggedCall> out;
  auto all = sim_.requests();
  out.reserve(all->size());
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto r = all->getObject(static_cast<unsigned>(i));
    LoggedCall c;
    c.seq = r->getValue<long>("seq");
    c.op = r->getValue<std::string>("op");
    c.msisdn = r->getValue<std::string>("msisdn");
    auto apps = r->getArray("applications");
    for (std::size_t k = 0; k < apps->size(); ++k) {
      c.applications.push_back(apps->getElement<std::string>(static_cast<unsigned>(k)));
    }
    c.status = r->getValue<int>("status");
    c.fault = r->has("fault") ? r->getValue<std::string>("fault") : "none";
    out.push_back(std::move(c));
  }
  return out;
}

long SyncWorkspace::callCount() {
  auto stats = Poco::JSON::Parser().parse(sim_.get("/_sim/stats")).extract<Poco::JSON::Object::Ptr>();
  return stats->getValue<long>("create") + stats->getValue<long>("delete");
}

std::string msisdnOf(int i) {
  std::ostringstream s;
  s << "4479300" << std::setw(5) << std::setfill('0') << i;
  return s.str();
}

std::string contactsCsv(int first, int count, std::string (*apps_of)(int)) {
  std::ostringstream s;
  s << "msisdn,name,reference,applications\n";
  for (int i = first; i < first + count; ++i) {
    s << "07930 0" << std::setw(5) << std::setfill('0') << i << ",Person " << i << ",R" << i
      << "," << (apps_of != nullptr ? apps_of(i) : std::string()) << "\n";
  }
  return s.str();
}

}  // namespace mobisync::test
