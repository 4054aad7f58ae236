// SPDX-License-Identifier: Apache-2.0
// Opens the state's session on SQLite or PostgreSQL and adapts SQL to the session's dialect.
#include "state/state_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Statement.h>
#include <Poco/URI.h>
#include <libpq-fe.h>

#include "state/sqlite_session.hpp"
#include "state/sqlite_state_file.hpp"
#include "state/state_error.hpp"

namespace mobisync::state {
namespace {

using Poco::Data::Keywords::now;

// Without it a dead host would hold `mobisync sync` for libpq's default of forever.
constexpr const char* kDefaultConnectTimeoutS = "10";

void registerPostgresOnce() {
  // Same reasoning as the SQLite connector: process-wide, registered once, never unregistered.
  static const bool registered = [] {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    return true;
  }();
  (void)registered;
}

bool hasSpace(const std::string& s) {
  for (unsigned char c : s) {
    if (std::isspace(c) != 0) return true;
  }
  return false;
}

// A libpq conninfo value in single quotes. Poco splits its connection string at spaces before
// handing it to libpq, so a value may not contain one; the caller checks.
std::string quoted(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string defaultSslMode(const std::string& host) {
  // libpq's own default ("prefer") takes whatever certificate a server shows, so anyone on the
  // path can stand in for the state database. Off this machine we verify like every other TLS
  // peer; a url says `sslmode=...` to choose otherwise.
  const bool local = host.empty() || host.front() == '/' || host == "localhost" ||
                     host == "::1" || host.rfind("127.", 0) == 0;
  return local ? "prefer" : "verify-full";
}

namespace {

struct Keyword {
  std::string name, value;
};

// The connection parameters of `url` (password not included), as libpq keywords.
std::vector<Keyword> keywordsOf(const values::PostgresUrl& u) {
  std::vector<Keyword> out = {{"host", u.host},
                              {"port", std::to_string(u.port)},
                              {"dbname", u.database},
                              {"user", u.user},
                              {"application_name", "mobisync"}};
  bool timeout_given = false;
  bool sslmode_given = false;
  for (const auto& [k, v] : u.params) {
    timeout_given = timeout_given || k == "connect_timeout";
    sslmode_given = sslmode_given || k == "sslmode";
    out.push_back({k, v});
  }
  if (!timeout_given) out.push_back({"connect_timeout", kDefaultConnectTimeoutS});
  if (!sslmode_given) out.push_back({"sslmode", defaultSslMode(u.host)});
  return out;
}

// A password libpq reads from a file, for passwords Poco's connection string cannot carry (it
// splits at spaces). The file is private to us and removed as soon as the connection is made.
class PassFile {
 public:
  explicit PassFile(const std::string& password) {
    std::string base = "/tmp";
    if (const char* t = ::getenv("TMPDIR"); t != nullptr && *t != '\0' && !hasSpace(t)) base = t;
    std::string templ = base + "/mobisync-pg-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      throw StateError("cannot create a private directory for the PostgreSQL password");
    }
    dir_ = templ;
    path_ = dir_ + "/pgpass";
    std::string escaped;
    for (char c : password) {
      if (c == ':' || c == '\\') escaped += '\\';
      escaped += c;
    }
    // libpq ignores a password file that others can read, so it is created 0600.
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const std::string line = "*:*:*:*:" + escaped + "\n";
    const bool written =
        fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    if (fd >= 0) ::close(fd);
    if (!written) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      throw StateError("cannot write the PostgreSQL password file");
    }
  }
  ~PassFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PassFile(const PassFile&) = delete;
  PassFile& operator=(const PassFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// libpq's own account of why a connection fails, with the SQLSTATE the server sent (verbose
// error fields). Poco's exception carries the message without it. Empty when the connection
// succeeds this time.
std::string diagnoseConnection(const values::PostgresUrl& u, const std::string& password) {
  std::vector<Keyword> kw = keywordsOf(u);
  kw.push_back({"password", password});
  std::vector<const char*> keys, values;
  for (const Keyword& k : kw) {
    keys.push_back(k.name.c_str());
    values.push_back(k.value.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectStartParams(keys.data(), values.data(), 0);
  if (conn == nullptr) return "out of memory";
  PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::string why;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (PostgresPollingStatusType st = PGRES_POLLING_WRITING;;) {
    if (PQstatus(conn) == CONNECTION_BAD) {
      why = PQerrorMessage(conn);
      break;
    }
    if (st == PGRES_POLLING_OK) break;
    pollfd p{PQsocket(conn), static_cast<short>(st == PGRES_POLLING_READING ? POLLIN : POLLOUT),
             0};
    if (std::chrono::steady_clock::now() > deadline || ::poll(&p, 1, 1000) < 0) {
      why = "timed out connecting";
      break;
    }
    st = PQconnectPoll(conn);
    if (st == PGRES_POLLING_FAILED) {
      why = PQerrorMessage(conn);
      break;
    }
  }
  PQfinish(conn);
  return why;
}

Poco::Data::Session openPostgres(const StateLocation& where) {
  std::string error;
  std::optional<values::PostgresUrl> u = values::parsePostgresUrl(where.url, error);
  if (!u) throw StateError("state " + where.display() + ": " + error);
  std::string conninfo;
  for (const Keyword& k : keywordsOf(*u)) {
    if (hasSpace(k.value)) {
      throw StateError("state " + where.display() + ": the " + k.name +
                       " contains a space, which the PostgreSQL connector cannot pass");
    }
    conninfo += k.name + "=" + quoted(k.value) + " ";
  }
  std::optional<PassFile> passfile;
  if (!where.password.empty()) {
    if (hasSpace(where.password)) {
      passfile.emplace(where.password);
      conninfo += "passfile=" + quoted(passfile->path());
    } else {
      conninfo += "password=" + quoted(where.password);
    }
  }
  // A first connection of our own, closed at once, finds why a server cannot be reached (with
  // its SQLSTATE, which Poco drops) before Poco tries: Poco 1.11's SessionHandle::connect
  // throws without PQfinish on a failed connection, leaking about 36 KiB each time, which a
  // daemon retrying every tick against a server that is down would pile up.
  if (std::string why = diagnoseConnection(*u, where.password); !why.empty()) {
    throw StateError("state " + where.display() + ": cannot open: " + postgresReason(why));
  }
  registerPostgresOnce();
  try {
    Poco::Data::Session session(Poco::Data::PostgreSQL::Connector::KEY, conninfo);
    auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
    if (impl != nullptr) {
      PQsetErrorVerbosity(impl->handle(), PQERRORS_VERBOSE);
      // libpq prints NOTICEs ("relation ... already exists, skipping") to stderr by default;
      // they are not problems, and stderr carries our errors.
      PQsetNoticeProcessor(impl->handle(), [](void*, const char*) {}, nullptr);
    }
    // SQLite's busy timeout: a write waits this long for another connection's row lock.
    session << "SET lock_timeout = " + std::to_string(kBusyTimeoutMs), now;
    return session;
  } catch (const StateError&) {
    throw;
  } catch (...) {
    if (std::string why = diagnoseConnection(*u, where.password); !why.empty()) {
      throw StateError("state " + where.display() + ": cannot open: " + postgresReason(why));
    }
    rethrowAsStateError(where.display(), "open");
  }
}

}  // namespace

Poco::Data::Session openStateSession(const StateLocation& where) {
  if (where.dialect() == Dialect::Postgres) {
    return openPostgres(where);
  }
  // A state is opened only where it is ours or where no file was: SQLite would take an empty
  // or foreign file for a new database, and the job's subscriptions would no longer be known.
  const bool file = where.path != ":memory:";
  if (file) prepareStateFile(where.path);
  try {
    Poco::Data::Session session = openSqliteSession(where.path);
    if (file) checkStateMark(session, where.path);
    return session;
  } catch (...) {
    rethrowAsStateError(where.path, "open");
  }
}

Dialect dialectOf(const Poco::Data::Session& session) {
  return session.connector() == Poco::Data::PostgreSQL::Connector::KEY ? Dialect::Postgres
                                                                       : Dialect::Sqlite;
}

std::string sqlFor(Dialect dialect, std::string_view sql) {
  if (dialect == Dialect::Sqlite) return std::string(sql);
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;  // the quote character of the literal or identifier we are in, if any
  for (char c : sql) {
    if (quote != 0) {
      // A doubled quote closes and reopens, which leaves us inside: no special case needed.
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view beginWriteSql(Dialect dialect) {
  // IMMEDIATE takes SQLite's write lock up front, so the busy timeout covers the wait for it: a
  // deferred transaction that reads first and then writes gets SQLITE_BUSY at once. PostgreSQL
  // locks the rows it writes and waits up to lock_timeout for them.
  return dialect == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}

}  // namespace mobisync::state
