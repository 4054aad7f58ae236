// SPDX-License-Identifier: Apache-2.0
// A throwaway PostgreSQL cluster (initdb in a temp dir, postgres on a free loopback port) for tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// Runs a private PostgreSQL server while the object lives: initdb into a temp dir, postgres on
/// 127.0.0.1 at a free port with its socket in that dir, a login role with a password and a
/// database it owns. PostgreSQL refuses to run as root, so when the tests run as root the
/// server and initdb run as the `postgres` user (setpriv) in a dir chowned to it.
/// TCP connections need the password (scram-sha-256); the socket trusts the superuser, which
/// sql() uses. The destructor stops the server (fast shutdown, SIGKILL after 10 s).
/// Owned by one test; not thread-safe.
class PostgresProcess {
 public:
  /// Why no server can be started here ("initdb not found ..."), or "" when one can.
  static std::string unavailableReason();

  /// @throws std::runtime_error with the server's output when it does not start.
  PostgresProcess();
  ~PostgresProcess();

  /// A handle on a server another process runs and described with writeInfo(): ctest starts one
  /// cluster for every state test process (tests/pg_server) instead of one per test case. The
  /// handle does not stop that server.
  /// @throws std::runtime_error when the file is missing or incomplete.
  static std::unique_ptr<PostgresProcess> attach(const std::string& info_path);
  /// Writes what attach() needs (port, socket dir, role, password, binaries) to `info_path`,
  /// readable by its owner only since it holds the role's password.
  void writeInfo(const std::string& info_path) const;

  PostgresProcess(const PostgresProcess&) = delete;
  PostgresProcess& operator=(const PostgresProcess&) = delete;

  int port() const { return port_; }
  const std::string& database() const { return database_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }

  /// A DSN-less psqlODBC connection string for the role, without its password.
  std::string odbcConnectionString(const std::string& driver = "PostgreSQL Unicode") const;

  /// Runs `sql` in the database as the superuser through the socket (psql -v ON_ERROR_STOP=1).
  /// @return psql's stdout (unaligned, tuples only).
  /// @throws std::runtime_error with psql's stderr when it fails.
  std::string sql(const std::string& sql);

  /// Ends every session of the role, as a server restart or a network cut would.
  void terminateSessions();

  /// Creates an empty database `name` owned by `owner` (default: the role), for a test that
  /// needs its own.
  void createDatabase(const std::string& name, const std::string& owner = "");
  /// Creates another login role with `password` (any characters).
  void createRole(const std::string& name, const std::string& password);

 private:
  struct Attached {};
  explicit PostgresProcess(Attached);
  std::string runAsServerUser(const std::vector<std::string>& argv);
  std::string psql(const std::string& database, const std::string& statement);

  TempDir dir_;
  std::string bin_;
  std::string data_dir_;
  std::string socket_dir_;  // where psql finds the superuser's socket
  int port_ = 0;
  std::string database_ = "mobisync_test";
  std::string user_ = "mobisync_app";
  std::string password_;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace mobisync::test
