// SPDX-License-Identifier: Apache-2.0
// `mobisync check --connect` through the built binary against real peers: the simulator (proxy
// API, JSON API, its SMSC), slapd, PostgreSQL (the state, and a source through psqlODBC) and a
// CSV file. One line per endpoint; good credentials exit 0, refused ones 77 naming the
// endpoint, closed ports and a missing file 69; nothing anywhere changes and no secret is
// printed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ldap_workspace.hpp"
#include "support/postgres_odbc_skip.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/slapd_process.hpp"
#include "support/state_backends.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace mobisync::test;

constexpr const char* kSmppPassword = "smpp-pw1";  // SMPP allows 8 characters

/// The ODBC source's table: one per process, should several share one PostgreSQL server.
std::string peopleTable() { return "check_people_" + std::to_string(::getpid()); }

/// The peers of one config: every endpoint `check --connect` can reach.
struct Peers {
  SimulatorProcess sim{[] {
    SimulatorOptions o;
    o.smsc = true;
    o.smpp_password = kSmppPassword;
    return o;
  }()};
  SlapdProcess slapd{[] {
    SlapdOptions o;
    o.ldif = ldap::peopleLdif(0, 3);
    return o;
  }()};
  PostgresProcess& pg = sharedPostgres();
  mobisync::state::StateLocation state = freshPostgresState();

  Peers() {
    pg.sql("CREATE TABLE " + peopleTable() + " (msisdn text, name text); INSERT INTO " +
           peopleTable() + " VALUES ('447930000001', 'Ann'), ('447930000002', 'Bob')");
  }
};

/// What to get wrong in the config: one endpoint's credentials, or every address.
struct Faults {
  bool provider_password = false;
  bool api_key = false;
  bool state_password = false;
  bool ldap_password = false;
  bool smpp_password = false;
  bool odbc_password = false;
  bool simple_password = false;
  bool unreachable = false;  ///< every host:port one nobody listens on, the CSV file missing
};

/// A loopback port nobody listens on: bound, then closed again.
int closedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = socket.address().port();
  socket.close();
  return port;
}

struct Endpoints {
  std::string sim_url, state_url, ldap_uri, odbc, smpp_port;
};

Endpoints endpointsOf(Peers* p) {
  if (p != nullptr) {
    return {p->sim.baseUrl(), p->state.url, p->slapd.ldapUri(), p->pg.odbcConnectionString(),
            std::to_string(p->sim.smppPort())};
  }
  const std::string closed = std::to_string(closedPort());
  return {"http://127.0.0.1:" + closed, "postgresql://mobisync_app@127.0.0.1:" + closed + "/none",
          "ldap://127.0.0.1:" + closed,
          "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=" + closed +
              ";Database=none;Uid=mobisync_app;",
          closed};
}

std::string configFor(const Endpoints& e, const TempDir& dir, const std::string& state_keys) {
  return "[provider]\nbase_url = \"" + e.sim_url +
         "\"\nusername = \"demo\"\n"
         "password_env = \"CHECK_PROVIDER_PASSWORD\"\ntimeout_ms = 3000\n\n"
         "[state]\n" +
         state_keys +
         "\n"
         "[plugins]\ndirs = [\"" +
         pluginDir() +
         "\"]\n\n"
         "[[source]]\nname = \"directory\"\nplugin = \"ldap\"\nuri = \"" +
         e.ldap_uri + "\"\nbind_dn = \"" + SlapdProcess::kRootDn +
         "\"\nbind_password_env = \"CHECK_LDAP_PASSWORD\"\n"
         "base = \"ou=people,dc=example,dc=org\"\ntimeout_seconds = 3\n\n"
         "[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"" +
         dir.file("people.csv") +
         "\"\n\n"
         "[[source]]\nname = \"crm\"\nplugin = \"odbc\"\nconnection_string = \"" +
         e.odbc +
         "\"\npassword_env = \"CHECK_ODBC_PASSWORD\"\nquery = \"SELECT msisdn, name FROM " +
         peopleTable() + "\"\nlogin_timeout = 3\n\n"
         "[[job]]\nname = \"staff\"\nsource = \"directory\"\ndefault_region = \"GB\"\n"
         "applications = [\"contacts:42\"]\n\n"
         "[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
         e.sim_url +
         "\"\napi_key_env = \"CHECK_API_KEY\"\nroute_id = \"1\"\noriginator = \"Mobisync\"\n"
         "timeout_ms = 3000\n\n"
         "[[notifier]]\nname = \"simple\"\nplugin = \"http\"\napi = \"simple\"\nsimple_url = \"" +
         e.sim_url + "/gateway/api/simple/MT\"\nusername = \"demo\"\n"
         "password_env = \"CHECK_SIMPLE_PASSWORD\"\nroute_id = \"1\"\ntimeout_ms = 3000\n\n"
         "[[notifier]]\nname = \"smsc\"\nplugin = \"smpp\"\nhost = \"127.0.0.1\"\nport = " +
         e.smpp_port +
         "\nsystem_id = \"demo\"\npassword_env = \"CHECK_SMPP_PASSWORD\"\n"
         "timeout_ms = 3000\n";
}

const char* const kWrong[] = {"wrong-password", "wrong-api-key", "wrong-pg-password",
                              "wrong-root-secret", "wrongpw1"};

/// `check --connect --format FORMAT` on the config of `p` (nullptr: closed ports everywhere)
/// with the faults `f`.
ProcessResult check(Peers* p, const Faults& f, const std::string& format,
                    const std::string& state_keys = "") {
  TempDir dir;
  if (!f.unreachable) dir.write("people.csv", "msisdn,name\n07930000001,Ann\n");
  const Endpoints e = endpointsOf(p);
  const std::string state = state_keys.empty() ? "url = \"" + e.state_url +
                                                     "\"\npassword_env = \"CHECK_STATE_PASSWORD\"\n"
                                               : state_keys;
  dir.write("mobisync.toml", configFor(e, dir, state));
  const std::string pg_password = p != nullptr ? p->pg.password() : "nothing-listens";
  return runProcess(
      {mobisyncBinary(), "check", "--connect", "--format", format, "-c", dir.file("mobisync.toml")},
      {{"CHECK_PROVIDER_PASSWORD", f.provider_password ? kWrong[0] : "demo-secret"},
       {"CHECK_API_KEY", f.api_key ? kWrong[1] : "sim-api-key"},
       {"CHECK_STATE_PASSWORD", f.state_password ? kWrong[2] : pg_password},
       {"CHECK_ODBC_PASSWORD", f.odbc_password ? kWrong[2] : pg_password},
       {"CHECK_LDAP_PASSWORD", f.ldap_password ? kWrong[3] : SlapdProcess::kRootPassword},
       {"CHECK_SMPP_PASSWORD", f.smpp_password ? kWrong[4] : kSmppPassword},
       {"CHECK_SIMPLE_PASSWORD", f.simple_password ? kWrong[0] : "demo-secret"}},
      std::chrono::seconds(60));
}

/// Neither output holds a secret of the config, right or wrong.
void requireNoSecret(const ProcessResult& r, Peers* p) {
  std::vector<std::string> secrets(std::begin(kWrong), std::end(kWrong));
  for (const char* s : {"demo-secret", "sim-api-key", SlapdProcess::kRootPassword, kSmppPassword}) {
    secrets.emplace_back(s);
  }
  if (p != nullptr) secrets.push_back(p->pg.password());
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(r.out.find(s) == std::string::npos);
    CHECK(r.err.find(s) == std::string::npos);
  }
}

/// table -> verdict, from the JSON form.
std::map<std::string, std::string> verdicts(const std::string& json) {
  auto doc = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  std::map<std::string, std::string> out;
  auto endpoints = doc->getArray("endpoints");
  for (unsigned i = 0; i < endpoints->size(); ++i) {
    auto e = endpoints->getObject(i);
    CHECK(e->getValue<std::int64_t>("latency_ms") >= 0);
    out.emplace(e->getValue<std::string>("table"), e->getValue<std::string>("verdict"));
  }
  return out;
}

const std::vector<std::string> kTables = {"provider",      "state",      "source directory",
                                          "source people", "source crm", "notifier sms",
                                          "notifier simple", "notifier smsc"};

/// Nothing was created, sent, or migrated by a check.
void requireUntouched(Peers& p) {
  CHECK(p.sim.contacts()->size() == 0);
  CHECK(p.sim.messages().empty());
  // The proxy API saw only removals of no number (refused as invalid, or the credentials).
  auto requests = p.sim.requests();
  CHECK(requests->size() > 0);
  for (unsigned i = 0; i < requests->size(); ++i) {
    CHECK(requests->getObject(i)->getValue<std::string>("op") == "delete");
    CHECK(requests->getObject(i)->getValue<std::string>("msisdn").empty());
  }
  // The state was connected to, not migrated: its database still has no table.
  const std::string db = p.state.url.substr(p.state.url.rfind('/') + 1);
  const ProcessResult tables = runProcess(
      {"psql", "-At", "-h", "127.0.0.1", "-p", std::to_string(p.pg.port()), "-U", p.pg.user(), "-d",
       db, "-c", "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'"},
      {{"PGPASSWORD", p.pg.password()}});
  INFO(tables.err);
  CHECK(tables.out == "0\n");
  CHECK(p.pg.sql("SELECT count(*) FROM " + peopleTable()) == "2\n");
}

}  // namespace

TEST_SUITE("check_connect.integration") {
  TEST_CASE("check --connect: every endpoint ok, then each refused login exits 77 naming it") {
    MOBISYNC_REQUIRE_SLAPD();
    if (skipWithoutPostgres()) return;
    Peers p;

    const ProcessResult r = check(&p, {}, "table");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    std::istringstream lines(r.out);
    std::map<std::string, std::string> verdict_of;
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
      ++count;
      CHECK(line.find(" ms  ") != std::string::npos);  // every line has its latency
      for (const auto& t : kTables) {
        if (line.find("  " + t + "  ") != std::string::npos) {
          verdict_of[t] = line.substr(0, line.find(' '));
        }
      }
    }
    CHECK(count == static_cast<int>(kTables.size()));
    for (const auto& t : kTables) {
      CAPTURE(t);
      CHECK(verdict_of[t] == "ok");
    }
    CHECK(r.out.find("unbound") != std::string::npos);  // the SMPP bind was closed again
    requireNoSecret(r, &p);

    // A SQLite state that does not exist yet: ok, and still not created.
    TempDir sqlite;
    const ProcessResult fresh =
        check(&p, {}, "json", "path = \"" + sqlite.file("state.db") + "\"\n");
    INFO(fresh.out << fresh.err);
    CHECK(fresh.exit_code == 0);
    CHECK(verdicts(fresh.out).at("state") == "ok");
    CHECK(fresh.out.find("the first sync creates it") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(sqlite.file("state.db")));

    for (int which = 0; which < 7; ++which) {
      Faults f;
      std::string table;
      switch (which) {
        case 0:
          f.provider_password = true;
          table = "provider";
          break;
        case 1:
          f.api_key = true;
          table = "notifier sms";
          break;
        case 2:
          f.state_password = true;
          table = "state";
          break;
        case 3:
          f.ldap_password = true;
          table = "source directory";
          break;
        case 6:
          f.simple_password = true;
          table = "notifier simple";
          break;
        case 4:
          f.smpp_password = true;
          table = "notifier smsc";
          break;
        default:
          f.odbc_password = true;
          table = "source crm";
          break;
      }
      CAPTURE(table);
      const ProcessResult refused = check(&p, f, "json");
      INFO(refused.out << refused.err);
      CHECK(refused.exit_code == 77);
      CHECK(refused.out.find("\"exit_code\": 77") != std::string::npos);
      const auto v = verdicts(refused.out);
      CHECK(v.size() == kTables.size());
      for (const auto& [t, verdict] : v) {
        CAPTURE(t);
        CHECK(verdict == (t == table ? "refused" : "ok"));
      }
      requireNoSecret(refused, &p);
    }
    requireUntouched(p);
  }

  TEST_CASE("check --connect: closed ports and a missing file exit 69, each unreachable") {
    if (skipWithoutPostgres()) return;  // the ODBC line needs psqlODBC, not a server
    const auto start = std::chrono::steady_clock::now();
    const ProcessResult r =
        check(nullptr, [] {
          Faults f;
          f.unreachable = true;
          return f;
        }(), "json");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 69);
    const auto v = verdicts(r.out);
    CHECK(v.size() == kTables.size());
    for (const auto& [t, verdict] : v) {
      CAPTURE(t);
      CHECK(verdict == "unreachable");
    }
    CHECK(r.out.find("\"exit_code\": 69") != std::string::npos);
    requireNoSecret(r, nullptr);
    // Refused connections answer at once: nothing waits out a timeout.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  }

  TEST_CASE("check --connect: a plugin that refuses its config exits 78, an unset secret too") {
    if (skipWithoutPostgres()) return;
    TempDir dir;
    dir.write("mobisync.toml",
              "[provider]\nbase_url = \"http://127.0.0.1:" + std::to_string(closedPort()) +
                  "\"\nusername = \"demo\"\npassword_env = \"CHECK_PROVIDER_PASSWORD\"\n\n"
                  "[state]\npath = \"" + dir.file("state.db") + "\"\n\n[plugins]\ndirs = [\"" +
                  pluginDir() +
                  "\"]\n\n[[source]]\nname = \"crm\"\nplugin = \"odbc\"\n"
                  "connection_string = \"Driver={PostgreSQL Unicode};Server=127.0.0.1;PWD=x\"\n"
                  "password_env = \"CHECK_ODBC_PASSWORD\"\nquery = \"SELECT 1\"\n");
    const std::vector<std::string> args = {mobisyncBinary(), "check", "--connect", "--format",
                                           "json", "-c", dir.file("mobisync.toml")};
    const ProcessResult r = runProcess(
        args, {{"CHECK_PROVIDER_PASSWORD", "demo-secret"}, {"CHECK_ODBC_PASSWORD", "odbc-secret"}});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 78);
    const auto v = verdicts(r.out);
    CHECK(v.at("source crm") == "config error");
    CHECK(v.at("provider") == "unreachable");
    CHECK(v.at("state") == "ok");
    CHECK(r.out.find("holds a password") != std::string::npos);
    CHECK((r.out + r.err).find("odbc-secret") == std::string::npos);

    // Plain `check` needs no secret; --connect signs in, so an unset one stops it before any
    // endpoint is reached.
    const ProcessResult unset = runProcess(args, {{"CHECK_ODBC_PASSWORD", "odbc-secret"}});
    INFO(unset.out << unset.err);
    CHECK(unset.exit_code == 78);
    CHECK(unset.err.find("CHECK_PROVIDER_PASSWORD") != std::string::npos);
    CHECK(unset.out.empty());
  }
}
