// SPDX-License-Identifier: Apache-2.0
// OdbcWorkspace: a job reading PostgreSQL through the odbc plugin, run with the built binary.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "support/postgres_process.hpp"
#include "support/postgres_odbc_skip.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace mobisync::test {

inline std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

/// A job reading `query` from the server through psqlODBC; runs the built binary.
class OdbcWorkspace {
 public:
  OdbcWorkspace(PostgresProcess& pg, const std::string& query, const std::string& extra_source = "",
                const std::string& connection = "")
      : pg_(pg) {
    config_ = ("[provider]\nbase_url = \"" + sim_.baseUrl() +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
                   "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
                   mobisync::test::pluginDir() +
                   "\"]\n\n[[source]]\nname = \"crm\"\nplugin = \"odbc\"\nconnection_string = " +
                   quoted(connection.empty() ? pg.odbcConnectionString() : connection) +
                   "\npassword_env = \"CRM_DB_PASSWORD\"\nquery = " + quoted(query) +
                   "\nbatch_size = 3\n" + extra_source +
                   "\n[[job]]\nname = \"crm\"\nsource = \"crm\"\ndefault_region = \"GB\"\n"
                   "applications = [\"contacts:42\"]\n");
    dir_.write("mobisync.toml", config_);
  }

  void replaceInConfig(const std::string& from, const std::string& to) {
    const std::size_t at = config_.find(from);
    REQUIRE(at != std::string::npos);
    config_.replace(at, from.size(), to);
    dir_.write("mobisync.toml", config_);
  }

  ProcessResult run(std::vector<std::string> args, const std::string& db_password = "") {
    args.insert(args.begin(), mobisync::test::mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    std::map<std::string, std::string> env = env_;
    env["MOBIVATE_PASSWORD"] = "demo-secret";
    env["CRM_DB_PASSWORD"] = db_password.empty() ? pg_.password() : db_password;
    return mobisync::test::runProcess(args, env);
  }

  /// An environment variable for every later run (e.g. TZ).
  void setEnv(const std::string& name, const std::string& value) { env_[name] = value; }

  /// Proxy requests since the last call, sorted, as "create 4479.. contacts:42 Name".
  std::vector<std::string> newRequests() {
    auto all = sim_.requests();
    std::vector<std::string> out;
    for (std::size_t i = seen_; i < all->size(); ++i) {
      auto r = all->getObject(static_cast<unsigned>(i));
      if (r->getValue<int>("status") != 200) {
        continue;  // an injected fault: the provider did nothing
      }
      std::string apps;
      auto a = r->getArray("applications");
      for (std::size_t k = 0; k < a->size(); ++k) {
        apps += (k ? "," : "") + a->getElement<std::string>(static_cast<unsigned>(k));
      }
      out.push_back(r->getValue<std::string>("op") + " " + r->getValue<std::string>("msisdn") +
                    " " + apps + (r->has("name") ? " " + r->getValue<std::string>("name") : ""));
    }
    seen_ = all->size();
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string rejects() const {
    std::ifstream in(dir_.file("crm.rejects.csv"));
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  TempDir& dir() { return dir_; }
  SimulatorProcess& sim() { return sim_; }

 private:
  PostgresProcess& pg_;
  TempDir dir_;
  std::string config_;
  std::map<std::string, std::string> env_;
  SimulatorProcess sim_;
  std::size_t seen_ = 0;
};

}  // namespace mobisync::test
