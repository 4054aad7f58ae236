// SPDX-License-Identifier: Apache-2.0
// Secrets: every command, failures included, at debug log level, with known secret values for
// the provider password, an LDAP bind password and an ODBC database password, each given through
// *_env and through *_file (the database one also inside the connection string). Then everything the runs left (stdout, stderr, the log file, reject files, the state database
// and its WAL, plans) is searched for the secrets, raw and URL-encoded: zero hits.
#include <doctest/doctest.h>

#include <Poco/URI.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "integration/odbc_workspace.hpp"
#include "support/postgres_process.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/slapd_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::PostgresProcess;
using mobisync::test::ProcessResult;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::SlapdProcess;
using mobisync::test::TempDir;

namespace {

// Characters that URL-encoding changes, so both spellings are searched for.
const std::string kProviderSecret = "Prov1der+Secret/93kq";
const std::string kWrongProviderSecret = "Wr0ng+Provider=55zz";
const std::string kWrongLdapSecret = "Wr0ng-Ldap&Bind-71";
// '+' and '%' because psqlODBC URL-decodes an unbraced PWD value ("a+b" would reach the server
// as "a b"): the plugin braces them, and a connection string written by hand braces it too.
const std::string kDatabaseSecret = "Db&Pass+w0rd%21/31x";
const std::string kWrongDatabaseSecret = "Wr0ng&Db/Pass!88";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> spellings(const std::string& secret) {
  std::string encoded;
  Poco::URI::encode(secret, "?#/:;+@&=", encoded);
  std::string form;  // application/x-www-form-urlencoded spells a space '+', otherwise alike
  Poco::URI::encode(secret, "!'()*?#/:;+@&=$,", form);
  return {secret, encoded, form};
}

/// Where any spelling of any secret occurs in `text`; "" when nowhere.
std::string findSecret(const std::string& text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    for (const auto& spelling : spellings(s)) {
      if (text.find(spelling) != std::string::npos) return "\"" + spelling + "\"";
    }
  }
  return "";
}

/// A job over an LDAP directory or an SQL database, its secrets given through *_env, *_file or
/// (the database password) the connection string.
class SecretWorkspace {
 public:
  explicit SecretWorkspace(SimulatorProcess& sim, SlapdProcess* slapd = nullptr)
      : sim_(sim), slapd_(slapd) {
    dir_.write("secrets/provider.pw", kProviderSecret + "\n");
    dir_.write("secrets/wrong-provider.pw", kWrongProviderSecret + "\n");
    dir_.write("secrets/ldap.pw", std::string(SlapdProcess::kRootPassword) + "\n");
    dir_.write("secrets/wrong-ldap.pw", kWrongLdapSecret + "\n");
    dir_.write("secrets/db.pw", kDatabaseSecret + "\n");
  }

  /// `provider_key` and `ldap_key` are whole TOML lines naming where each secret comes from.
  void configure(const std::string& provider_key, const std::string& ldap_key,
                 const std::string& base_url = "", const std::string& extra = "") {
    configureSource(provider_key,
                    "plugin = \"ldap\"\nuri = \"" + slapd_->ldapUri() + "\"\nbind_dn = \"" +
                        SlapdProcess::kRootDn + "\"\n" + ldap_key +
                        "\nbase = \"ou=people,dc=example,dc=org\"\n" + extra,
                    base_url);
  }

  /// Writes the config with `source` as the body of the one [[source]] table (after its name).
  void configureSource(const std::string& provider_key, const std::string& source,
                       const std::string& base_url = "") {
    dir_.write("mobisync.toml",
               "[provider]\nbase_url = \"" + (base_url.empty() ? sim_.baseUrl() : base_url) +
                   "\"\nusername = \"demo\"\n" + provider_key +
                   "\nmax_attempts = 2\nbackoff_initial_ms = 10\ntimeout_ms = 2000\n"
                   "\n[state]\npath = \"state.db\"\n\n[log]\nlevel = \"debug\"\n"
                   "file = \"mobisync.log\"\n\n[plugins]\ndirs = [\"" +
                   mobisync::test::pluginDir() +
                   "\"]\n\n[[source]]\nname = \"directory\"\n" + source +
                   "\n[[job]]\nname = \"staff\"\nsource = \"directory\"\ndefault_region = \"GB\"\n"
                   "applications = [\"contacts:42\"]\nmax_delete = \"100%\"\n"
                   "reject_file = \"staff.rejects.csv\"\n");
  }

  /// Runs one command at debug level; keeps its output for the final search.
  ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {mobisync::test::mobisyncBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--log-level", "debug", "-c", dir_.file("mobisync.toml")});
    ProcessResult r = mobisync::test::runProcess(argv, env, std::chrono::seconds(120));
    std::string label;
    for (const auto& a : args) label += a + " ";
    outputs_.emplace_back(label, r.out + "\n" + r.err);
    return r;
  }

  /// Every command's output and every file in the job directory but the secret files.
  std::vector<std::pair<std::string, std::string>> everything() const {
    auto all = outputs_;
    for (const auto& e : fs::recursive_directory_iterator(dir_.path())) {
      // The secret files hold the secrets by design, and the config holds the one written
      // inline on purpose (to test that errors about it do not repeat it).
      if (!e.is_regular_file() || e.path().parent_path().filename() == "secrets" ||
          e.path().filename() == "mobisync.toml") {
        continue;
      }
      all.emplace_back(e.path().filename().string(), slurp(e.path()));
    }
    return all;
  }

  TempDir& dir() { return dir_; }

 private:
  SimulatorProcess& sim_;
  SlapdProcess* slapd_;
  TempDir dir_;
  std::vector<std::pair<std::string, std::string>> outputs_;
};

/// The body of an odbc [[source]] reading six good rows and one bad one.
std::string odbcSource(const std::string& connection, const std::string& password_key) {
  return "plugin = \"odbc\"\nconnection_string = " + mobisync::test::quoted(connection) + "\n" +
         password_key + "\nquery = \"SELECT msisdn, name, reference FROM people\"\n";
}

std::string people() {
  std::string out;
  for (int i = 0; i < 6; ++i) {
    out += "dn: uid=p" + std::to_string(i) + ",ou=people,dc=example,dc=org\n"
           "objectClass: inetOrgPerson\nuid: p" + std::to_string(i) + "\ncn: Person " +
           std::to_string(i) + "\nsn: Person\nmobile: 07930 00000" + std::to_string(i) + "\n\n";
  }
  // One number the job rejects, so a reject file is written.
  out += "dn: uid=bad,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: bad\n"
         "cn: Bad Number\nsn: Bad\nmobile: 12\n\n";
  return out;
}

}  // namespace

TEST_SUITE("reliability.secrets") {
  TEST_CASE("no command prints logs or stores a secret at debug level - failures included") {
    MOBISYNC_REQUIRE_SLAPD();
    SimulatorOptions so;
    so.password = kProviderSecret;
    SimulatorProcess sim(so);
    mobisync::test::SlapdOptions lo;
    lo.ldif = people();
    SlapdProcess slapd(lo);
    SecretWorkspace w(sim, &slapd);
    const std::map<std::string, std::string> env = {
        {"MOBIVATE_PASSWORD", kProviderSecret},
        {"LDAP_BIND_PASSWORD", SlapdProcess::kRootPassword}};

    for (const std::string how : {"env", "file"}) {
      CAPTURE(how);
      if (how == "env") {
        w.configure("password_env = \"MOBIVATE_PASSWORD\"", "bind_password_env = \"LDAP_BIND_PASSWORD\"");
      } else {
        w.configure("password_file = \"secrets/provider.pw\"", "bind_password_file = \"secrets/ldap.pw\"");
      }
      for (std::vector<std::string> args :
           {std::vector<std::string>{"check"}, {"plan"}, {"plan", "--format", "json"},
            {"sync", "--dry-run"}, {"sync"}, {"sync"}, {"state", "show"}, {"state", "show", "staff"},
            {"plugins", "list"}, {"plugins", "describe", "ldap"}, {"plugins", "reference"}}) {
        auto r = w.run(args, env);
        INFO(args.front() << ": " << r.out << r.err);
        CHECK(r.exit_code == 0);
      }
      CHECK(sim.subscriptions().size() == 6);
      sim.reset();
      CHECK(w.run({"state", "reset", "staff"}, env).exit_code == 0);
    }

    // Failures: each must fail, and fail without the secret.
    w.configure("password_file = \"secrets/wrong-provider.pw\"", "bind_password_env = \"LDAP_BIND_PASSWORD\"");
    auto refused = w.run({"sync"}, env);
    INFO(refused.err);
    CHECK(refused.exit_code == 77);  // provider refused the credentials (401)
    w.configure("password_env = \"MOBIVATE_PASSWORD\"", "bind_password_file = \"secrets/wrong-ldap.pw\"");
    auto ldap_refused = w.run({"sync"}, env);
    CHECK(ldap_refused.exit_code != 0);
    w.configure("password_env = \"MOBIVATE_PASSWORD\"", "bind_password_env = \"LDAP_BIND_PASSWORD\"",
                "http://127.0.0.1:9");
    auto unreachable = w.run({"sync"}, env);
    CHECK(unreachable.exit_code == 69);  // provider unavailable
    w.configure("password_env = \"MOBIVATE_PASSWORD\"", "bind_password_env = \"LDAP_BIND_PASSWORD\"",
                "", "no_such_key = 1\n");
    for (const char* cmd : {"check", "plan", "sync"}) {
      auto bad = w.run({cmd}, env);
      CHECK(bad.exit_code == 78);  // config error
    }
    // A secret key written inline where a secret key is expected, plus another error: the
    // message names the key, never the value.
    w.configure("password = \"" + kWrongProviderSecret + "\"\npassword_env = \"MOBIVATE_PASSWORD\"",
                "bind_password_env = \"LDAP_BIND_PASSWORD\"");
    CHECK(w.run({"check"}, env).exit_code == 78);

    const std::vector<std::string> secrets = {kProviderSecret, kWrongProviderSecret,
                                              SlapdProcess::kRootPassword, kWrongLdapSecret};
    int searched = 0;
    for (const auto& [where, text] : w.everything()) {
      ++searched;
      INFO("in " << where);
      CHECK(findSecret(text, secrets) == "");
    }
    MESSAGE("searched " << searched << " outputs and files for 4 secrets");
    // The search covered what it claims to: the log, the state, the rejects, the plans.
    CHECK(fs::exists(w.dir().file("mobisync.log")));
    CHECK(fs::exists(w.dir().file("state.db")));
    CHECK(fs::exists(w.dir().file("staff.rejects.csv")));
  }
  TEST_CASE("no command prints logs or stores the ODBC password at debug level - failures included") {
    if (mobisync::test::skipWithoutPostgres()) {
      return;
    }
    PostgresProcess pg;
    // A role may set its own password; this one has characters URL-encoding changes.
    pg.sql("ALTER ROLE " + pg.user() + " PASSWORD '" + kDatabaseSecret + "'");
    pg.sql("CREATE TABLE people (msisdn TEXT, name TEXT, reference TEXT)");
    std::string rows;
    for (int i = 0; i < 6; ++i) {
      rows += std::string(i > 0 ? "," : "") + "('07930 00000" + std::to_string(i) + "', 'Person " +
              std::to_string(i) + "', 'R" + std::to_string(i) + "')";
    }
    pg.sql("INSERT INTO people VALUES " + rows + ", ('12', 'Bad Number', 'RB')");
    SimulatorOptions so;
    so.password = kProviderSecret;
    SimulatorProcess sim(so);
    SecretWorkspace w(sim);
    const std::map<std::string, std::string> env = {{"MOBIVATE_PASSWORD", kProviderSecret},
                                                    {"CRM_DB_PASSWORD", kDatabaseSecret}};
    const std::string provider = "password_env = \"MOBIVATE_PASSWORD\"";
    const std::string server = pg.odbcConnectionString();

    for (const std::string how : {"env", "file", "connection string"}) {
      CAPTURE(how);
      if (how == "env") {
        w.configureSource(provider, odbcSource(server, "password_env = \"CRM_DB_PASSWORD\""));
      } else if (how == "file") {
        w.configureSource(provider, odbcSource(server, "password_file = \"secrets/db.pw\""));
      } else {
        w.configureSource(provider, odbcSource(server + "PWD={" + kDatabaseSecret + "};", ""));
      }
      for (std::vector<std::string> args :
           {std::vector<std::string>{"check"}, {"plan"}, {"plan", "--format", "json"},
            {"sync", "--dry-run"}, {"sync"}, {"sync"}, {"state", "show", "staff"},
            {"plugins", "describe", "odbc"}}) {
        auto r = w.run(args, env);
        INFO(args.front() << ": " << r.out << r.err);
        CHECK(r.exit_code == 0);
      }
      CHECK(sim.subscriptions().size() == 6);
      sim.reset();
      CHECK(w.run({"state", "reset", "staff"}, env).exit_code == 0);
    }

    // A wrong password from the environment and in the connection string: refused by the
    // server, each run fails, and says why without the password.
    auto wrong_env = env;
    wrong_env["CRM_DB_PASSWORD"] = kWrongDatabaseSecret;
    w.configureSource(provider, odbcSource(server, "password_env = \"CRM_DB_PASSWORD\""));
    for (const char* cmd : {"plan", "sync"}) {
      auto refused = w.run({cmd}, wrong_env);
      CHECK(refused.exit_code != 0);
      CHECK((refused.out + refused.err).find("password authentication failed") !=
            std::string::npos);
    }
    w.configureSource(provider, odbcSource(server + "PWD=" + kWrongDatabaseSecret, ""));
    auto refused_inline = w.run({"sync"}, env);
    CHECK(refused_inline.exit_code != 0);
    CHECK((refused_inline.out + refused_inline.err).find("password authentication failed") !=
          std::string::npos);
    // A password both in the connection string and from the environment is a config error
    // that names the key, not the value (found when the source starts, so not by `check`).
    w.configureSource(provider, odbcSource(server + "PWD=" + kDatabaseSecret,
                                           "password_env = \"CRM_DB_PASSWORD\""));
    for (const char* cmd : {"plan", "sync"}) {
      auto twice = w.run({cmd}, env);
      CHECK(twice.exit_code == 78);
      CHECK((twice.out + twice.err).find("connection_string") != std::string::npos);
    }
    // The provider unreachable after the database was read.
    w.configureSource(provider, odbcSource(server, "password_env = \"CRM_DB_PASSWORD\""),
                      "http://127.0.0.1:9");
    CHECK(w.run({"sync"}, env).exit_code == 69);

    const std::vector<std::string> secrets = {kProviderSecret, kDatabaseSecret,
                                              kWrongDatabaseSecret};
    int searched = 0;
    for (const auto& [where, text] : w.everything()) {
      ++searched;
      INFO("in " << where);
      CHECK(findSecret(text, secrets) == "");
    }
    MESSAGE("searched " << searched << " outputs and files for 3 secrets");
    CHECK(fs::exists(w.dir().file("mobisync.log")));
    CHECK(fs::exists(w.dir().file("state.db")));
    CHECK(fs::exists(w.dir().file("staff.rejects.csv")));
  }
}
