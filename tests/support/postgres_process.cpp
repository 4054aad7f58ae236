// SPDX-License-Identifier: Apache-2.0
// A throwaway PostgreSQL cluster (initdb in a temp dir, postgres on a free loopback port) for tests.
#include "support/postgres_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mobisync::test {

namespace {

namespace fs = std::filesystem;

// The server user when running as root; PostgreSQL refuses uid 0.
constexpr const char* kServerUser = "postgres";

std::string findBinDir() {
  if (const char* env = std::getenv("MOBISYNC_PG_BIN"); env != nullptr && *env != '\0') {
    return env;
  }
  // Debian installs each major version side by side; take the newest.
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = entry.path().filename().string();
    int version = 0;
    try {
      version = std::stoi(name);
    } catch (...) {
      continue;
    }
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    throw std::runtime_error("socket() failed");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string randomPassword() {
  std::random_device rd;
  std::ostringstream s;
  s << "pw-" << std::hex << rd() << rd();
  return s.str();
}

bool runningAsRoot() { return ::geteuid() == 0; }

std::string check(const ProcessResult& r, const std::string& what) {
  if (r.exit_code != 0) {
    throw std::runtime_error(what + " failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err + r.out);
  }
  return r.out;
}

}  // namespace

std::string PostgresProcess::unavailableReason() {
  const std::string bin = findBinDir();
  if (bin.empty()) {
    return "PostgreSQL server binaries (initdb, postgres) not found under /usr/lib/postgresql; "
           "install the postgresql package (scripts/setup does)";
  }
  for (const char* tool : {"initdb", "postgres", "pg_isready", "psql"}) {
    if (!fs::exists(fs::path(bin) / tool)) {
      return std::string(tool) + " not found in " + bin;
    }
  }
  if (runningAsRoot()) {
    if (::getpwnam(kServerUser) == nullptr) {
      return "running as root and there is no postgres user to run the server as";
    }
    if (!fs::exists("/usr/bin/setpriv")) {
      return "running as root and setpriv (util-linux) is missing";
    }
  }
  return "";
}

PostgresProcess::PostgresProcess() : bin_(findBinDir()), password_(randomPassword()) {
  if (const std::string why = unavailableReason(); !why.empty()) {
    throw std::runtime_error(why);
  }
  data_dir_ = dir_.file("data");
  socket_dir_ = dir_.path();
  const std::string pwfile = dir_.write("superuser.pw", "unused-socket-trusts\n");
  if (runningAsRoot()) {
    const passwd* pw = ::getpwnam(kServerUser);
    for (const std::string& p : {dir_.path(), pwfile}) {
      if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        throw std::runtime_error("cannot chown " + p + " to " + kServerUser);
      }
    }
  }
  runAsServerUser({bin_ + "/initdb", "-D", data_dir_, "-U", "postgres", "--pwfile=" + pwfile,
                   "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                   "--locale=C", "--no-sync"});

  // Another process may take the port between freePort() and the bind; try a few.
  std::string last_output;
  for (int attempt = 0; attempt < 5 && !server_; ++attempt) {
    port_ = freePort();
    std::vector<std::string> argv = {bin_ + "/postgres", "-D", data_dir_, "-p",
                                     std::to_string(port_), "-k", dir_.path(), "-c",
                                     "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
                                     "full_page_writes=off", "-c", "synchronous_commit=off"};
    if (runningAsRoot()) {
      argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                                 "--init-groups", "--"});
    }
    auto child = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{},
                                                dir_.path());
    // Readiness, not timing: poll until the server answers or exits.
    for (int i = 0; i < 600; ++i) {
      if (!child->running()) {
        break;
      }
      auto ready = runProcess({bin_ + "/pg_isready", "-q", "-h", "127.0.0.1", "-p",
                               std::to_string(port_)});
      if (ready.exit_code == 0) {
        server_ = std::move(child);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!server_) {
      last_output = child->readStderr() + child->readStdout();
    }
  }
  if (!server_) {
    throw std::runtime_error("postgres did not start: " + last_output);
  }
  psql("postgres", "CREATE ROLE " + user_ + " LOGIN PASSWORD '" + password_ + "'");
  psql("postgres", "CREATE DATABASE " + database_ + " OWNER " + user_);
}

PostgresProcess::PostgresProcess(Attached) {}

std::unique_ptr<PostgresProcess> PostgresProcess::attach(const std::string& info_path) {
  std::ifstream in(info_path);
  if (!in) {
    throw std::runtime_error("no shared PostgreSQL server described at " + info_path);
  }
  std::map<std::string, std::string> info;
  for (std::string line; std::getline(in, line);) {
    if (const auto eq = line.find('='); eq != std::string::npos) {
      info[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  for (const char* key : {"bin", "socket_dir", "port", "database", "user", "password"}) {
    if (info[key].empty()) {
      throw std::runtime_error(info_path + " lacks " + key);
    }
  }
  std::unique_ptr<PostgresProcess> pg(new PostgresProcess(Attached{}));
  pg->bin_ = info["bin"];
  pg->socket_dir_ = info["socket_dir"];
  pg->port_ = std::stoi(info["port"]);
  pg->database_ = info["database"];
  pg->user_ = info["user"];
  pg->password_ = info["password"];
  return pg;
}

void PostgresProcess::writeInfo(const std::string& info_path) const {
  const std::string partial = info_path + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << "bin=" << bin_ << "\nsocket_dir=" << socket_dir_ << "\nport=" << port_
        << "\ndatabase=" << database_ << "\nuser=" << user_ << "\npassword=" << password_
        << "\n";
    if (!out.flush()) {
      throw std::runtime_error("cannot write " + partial);
    }
  }
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write);
  // Readers poll for the final name, so they never see half a file.
  fs::rename(partial, info_path);
}

PostgresProcess::~PostgresProcess() {
  if (server_) {
    server_->kill(SIGINT);  // fast shutdown: ends sessions, removes shared memory
    if (!server_->waitFor(std::chrono::seconds(10))) {
      server_->kill(SIGQUIT);
      server_->waitFor(std::chrono::seconds(5));
    }
  }
}

std::string PostgresProcess::odbcConnectionString(const std::string& driver) const {
  return "Driver={" + driver + "};Server=127.0.0.1;Port=" + std::to_string(port_) +
         ";Database=" + database_ + ";Uid=" + user_ + ";";
}

std::string PostgresProcess::sql(const std::string& statement) {
  // Tables belong to the role so it can read them without grants.
  return psql(database_, "SET ROLE " + user_ + "; " + statement);
}

void PostgresProcess::terminateSessions() {
  psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" +
                       user_ + "'");
}

void PostgresProcess::createDatabase(const std::string& name, const std::string& owner) {
  psql("postgres", "CREATE DATABASE " + name + " OWNER " + (owner.empty() ? user_ : owner));
}

void PostgresProcess::createRole(const std::string& name, const std::string& password) {
  std::string literal = "'";
  for (char c : password) {
    literal += c;
    if (c == '\'') literal += c;  // standard_conforming_strings: only quotes are doubled
  }
  psql("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD " + literal + "'");
}

std::string PostgresProcess::psql(const std::string& database, const std::string& statement) {
  return check(runProcess({bin_ + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                           socket_dir_, "-p", std::to_string(port_), "-U", "postgres", "-d",
                           database, "-c", statement}),
               "psql");
}

std::string PostgresProcess::runAsServerUser(const std::vector<std::string>& argv) {
  std::vector<std::string> full = argv;
  if (runningAsRoot()) {
    full.insert(full.begin(), {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                               "--init-groups", "--"});
  }
  return check(runProcess(full), argv.front());
}

}  // namespace mobisync::test
