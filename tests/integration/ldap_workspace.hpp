// SPDX-License-Identifier: Apache-2.0
// Shared by the LDAP integration tests: a slapd, a job config using the ldap plugin, LDIF makers.
#pragma once

#include <doctest/doctest.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/slapd_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace mobisync::test::ldap {

/// "07930 0000NN": a valid GB mobile whose E.164 form is msisdn(i).
inline std::string nationalNumber(int i) {
  std::ostringstream s;
  s << "07930 " << std::setw(6) << std::setfill('0') << i;
  return s.str();
}

inline std::string msisdn(int i) {
  std::ostringstream s;
  s << "447930" << std::setw(6) << std::setfill('0') << i;
  return s.str();
}

inline std::string personDn(int i) { return "uid=p" + std::to_string(i) + ",ou=people,dc=example,dc=org"; }

/// One inetOrgPerson; no mobile line when `number` < 0.
inline std::string personLdif(int i, int number) {
  std::string out = "dn: " + personDn(i) + "\nobjectClass: inetOrgPerson\nuid: p" +
                    std::to_string(i) + "\ncn: Person " + std::to_string(i) + "\nsn: Person\n";
  if (number >= 0) out += "mobile: " + nationalNumber(number) + "\n";
  return out + "\n";
}

inline std::string peopleLdif(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) out += personLdif(i, i);
  return out;
}

inline std::string groupDn(const std::string& cn) { return "cn=" + cn + ",ou=groups,dc=example,dc=org"; }

inline std::string groupLdif(const std::string& cn, const std::vector<int>& members) {
  std::string out = "dn: " + groupDn(cn) + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
  for (int m : members) out += "member: " + personDn(m) + "\n";
  return out + "\n";
}

/// A job directory whose source is the ldap plugin; the simulator only starts when asked.
class LdapWorkspace {
 public:
  explicit LdapWorkspace(bool with_simulator = false) {
    if (with_simulator) sim_ = std::make_unique<SimulatorProcess>();
  }

  /// Writes mobisync.toml with `source_keys` (TOML lines) in the ldap [[source]].
  void configure(const std::string& source_keys, const std::string& job_keys = "") {
    const std::string base_url = sim_ ? sim_->baseUrl() : std::string("http://127.0.0.1:9");
    dir_.write("mobisync.toml",
               "[provider]\nbase_url = \"" + base_url +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
                   "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" + pluginDir() +
                   "\"]\n\n[[source]]\nname = \"directory\"\nplugin = \"ldap\"\n" + source_keys +
                   "\n[[job]]\nname = \"staff\"\nsource = \"directory\"\ndefault_region = \"GB\"\n"
                   "applications = [\"contacts:42\"]\n" + job_keys);
  }

  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    return runProcess(args, {{"MOBIVATE_PASSWORD", "demo-secret"}});
  }

  /// Proxy requests the simulator saw since the last call, sorted, as "create 4479.. apps name".
  std::vector<std::string> newRequests() {
    auto all = sim_->requests();
    std::vector<std::string> out;
    for (std::size_t i = seen_; i < all->size(); ++i) {
      auto r = all->getObject(static_cast<unsigned>(i));
      std::string apps;
      auto a = r->getArray("applications");
      for (std::size_t k = 0; k < a->size(); ++k) {
        if (k != 0) apps += ",";
        apps += a->getElement<std::string>(static_cast<unsigned>(k));
      }
      std::string line = r->getValue<std::string>("op");
      line += " ";
      line += r->getValue<std::string>("msisdn");
      line += " ";
      line += apps;
      if (r->has("name")) {
        line += " ";
        line += r->getValue<std::string>("name");
      }
      out.push_back(std::move(line));
    }
    seen_ = all->size();
    std::sort(out.begin(), out.end());
    return out;
  }

  SimulatorProcess& sim() { return *sim_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_;
  std::unique_ptr<SimulatorProcess> sim_;
  std::size_t seen_ = 0;
};

/// The [[source]] keys for `uri` bound as the root DN, password from its file.
inline std::string rootBind(const SlapdProcess& slapd, const std::string& uri) {
  return "uri = \"" + uri + "\"\nbind_dn = \"" + SlapdProcess::kRootDn +
         "\"\nbind_password_file = \"" + slapd.rootPasswordFile() +
         "\"\nbase = \"ou=people,dc=example,dc=org\"\n";
}

}  // namespace mobisync::test::ldap
