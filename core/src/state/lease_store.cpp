// SPDX-License-Identifier: Apache-2.0
// LeaseStore on Poco::Data: single statements, so each step is atomic on both backends.
#include "state/lease_store.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Environment.h>

#include "state/state_session.hpp"
#include "state/state_store.hpp"

namespace mobisync::state {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

const std::string kLeaseColumns = "job, holder, token, expires_at, acquired_at";

std::vector<LeaseRow> rowsOf(std::vector<std::string>& jobs, std::vector<std::string>& holders,
                             std::vector<Poco::Int64>& tokens, std::vector<Poco::Int64>& expires,
                             std::vector<Poco::Int64>& acquired) {
  std::vector<LeaseRow> out;
  out.reserve(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    out.push_back({std::move(jobs[i]), std::move(holders[i]), tokens[i], expires[i], acquired[i]});
  }
  return out;
}

}  // namespace

LeaseStore::LeaseStore(Poco::Data::Session& session, std::string where)
    : session_(session), where_(std::move(where)) {}

LeaseStore::LeaseStore(StateStore& store) : LeaseStore(store.session(), store.path()) {}

std::optional<std::int64_t> LeaseStore::tryAcquire(const std::string& job,
                                                   const std::string& holder, std::int64_t ttl_ms,
                                                   std::int64_t now_ms) {
  try {
    std::string j = job, h = holder;
    Poco::Int64 expires = now_ms + ttl_ms, at = now_ms;
    std::vector<Poco::Int64> tokens;
    // One statement decides and writes, so two processes racing for a free lease cannot both
    // win: SQLite runs it under its write lock, PostgreSQL under the row's lock (or the unique
    // index for a first insert). The WHERE leaves a running lease of another holder alone, and
    // RETURNING then yields no row. The token is never reset, so it only grows.
    session_ << sqlFor(session_,
                       "INSERT INTO job_leases (job, holder, token, expires_at, acquired_at) "
                       "VALUES (?, ?, 1, ?, ?) ON CONFLICT (job) DO UPDATE SET "
                       "holder = excluded.holder, token = job_leases.token + 1, "
                       "expires_at = excluded.expires_at, acquired_at = excluded.acquired_at "
                       "WHERE job_leases.expires_at <= excluded.acquired_at "
                       "OR job_leases.holder = excluded.holder RETURNING token"),
        use(j), use(h), use(expires), use(at), into(tokens), now;
    if (tokens.empty()) return std::nullopt;
    return tokens.front();
  } catch (...) {
    rethrowAsStateError(where_, "take the lease of job " + job);
  }
}

std::optional<std::int64_t> LeaseStore::tryTakeOver(const std::string& job,
                                                    const std::string& dead_holder,
                                                    const std::string& holder,
                                                    std::int64_t ttl_ms, std::int64_t now_ms) {
  try {
    std::string j = job, dead = dead_holder, h = holder;
    Poco::Int64 expires = now_ms + ttl_ms, at = now_ms;
    std::vector<Poco::Int64> tokens;
    // Compare-and-set on the holder: of several processes finding the same dead holder, one
    // wins and the others see a live holder again.
    session_ << sqlFor(session_,
                       "UPDATE job_leases SET holder = ?, token = token + 1, expires_at = ?, "
                       "acquired_at = ? WHERE job = ? AND holder = ? RETURNING token"),
        use(h), use(expires), use(at), use(j), use(dead), into(tokens), now;
    if (tokens.empty()) return std::nullopt;
    return tokens.front();
  } catch (...) {
    rethrowAsStateError(where_, "take over the lease of job " + job);
  }
}

bool LeaseStore::renew(const std::string& job, std::int64_t token, std::int64_t ttl_ms,
                       std::int64_t now_ms) {
  try {
    std::string j = job;
    Poco::Int64 t = token, expires = now_ms + ttl_ms;
    Poco::Data::Statement update(session_);
    update << sqlFor(session_, "UPDATE job_leases SET expires_at = ? WHERE job = ? AND token = ?"),
        use(expires), use(j), use(t);
    return update.execute() == 1;
  } catch (...) {
    rethrowAsStateError(where_, "renew the lease of job " + job);
  }
}

void LeaseStore::release(const std::string& job, std::int64_t token) {
  try {
    std::string j = job;
    Poco::Int64 t = token;
    session_ << sqlFor(session_,
                       "UPDATE job_leases SET expires_at = 0 WHERE job = ? AND token = ?"),
        use(j), use(t), now;
  } catch (...) {
    rethrowAsStateError(where_, "release the lease of job " + job);
  }
}

std::optional<LeaseRow> LeaseStore::find(const std::string& job) {
  try {
    std::string j = job;
    std::vector<std::string> jobs, holders;
    std::vector<Poco::Int64> tokens, expires, acquired;
    session_ << sqlFor(session_, "SELECT " + kLeaseColumns + " FROM job_leases WHERE job = ?"),
        use(j), into(jobs), into(holders), into(tokens), into(expires), into(acquired), now;
    auto rows = rowsOf(jobs, holders, tokens, expires, acquired);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  } catch (...) {
    rethrowAsStateError(where_, "read the lease of job " + job);
  }
}

std::vector<LeaseRow> LeaseStore::all() {
  try {
    std::vector<std::string> jobs, holders;
    std::vector<Poco::Int64> tokens, expires, acquired;
    session_ << "SELECT " + kLeaseColumns + " FROM job_leases ORDER BY job", into(jobs),
        into(holders), into(tokens), into(expires), into(acquired), now;
    return rowsOf(jobs, holders, tokens, expires, acquired);
  } catch (...) {
    rethrowAsStateError(where_, "read the job leases");
  }
}

void LeaseStore::checkToken(const std::string& job, std::int64_t token) {
  std::size_t touched = 0;
  try {
    std::string j = job;
    Poco::Int64 t = token;
    Poco::Data::Statement update(session_);
    // A write that changes nothing but still locks the row and counts it.
    update << sqlFor(session_, "UPDATE job_leases SET token = token WHERE job = ? AND token = ?"),
        use(j), use(t);
    touched = update.execute();
  } catch (...) {
    rethrowAsStateError(where_, "check the lease of job " + job);
  }
  if (touched == 1) return;
  const std::optional<LeaseRow> now_held = find(job);
  std::string why = now_held ? "job " + job + " was taken over by " + now_held->holder +
                                   " (lease token " + std::to_string(now_held->token) +
                                   ", this run held token " + std::to_string(token) + ")"
                             : "job " + job + " has no lease any more";
  throw LeaseLost("state " + where_ + ": lease lost: " + why +
                  "; this run records nothing more, the new holder continues from the "
                  "confirmed state");
}

namespace {

// What tells this kernel and pid namespace apart from another's: a pid is only meaningful
// there. Containers on one host share the boot id but not the pid namespace; two hosts with one
// name differ in boot id. 8 hex digits of an FNV-1a hash, so the holder id stays short.
const std::string& pidSpaceMark() {
  static const std::string mark = [] {
    std::string identity;
    std::ifstream boot("/proc/sys/kernel/random/boot_id");
    std::getline(boot, identity);
    char ns[64] = {};
    const ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
    identity += n > 0 ? std::string(ns, static_cast<std::size_t>(n)) : std::string("?");
    std::uint32_t hash = 2166136261u;
    for (const unsigned char c : identity) hash = (hash ^ c) * 16777619u;
    char out[9];
    std::snprintf(out, sizeof out, "%08x", hash);
    return std::string(out);
  }();
  return mark;
}

}  // namespace

const std::string& processHolderId() {
  static const std::string id = [] {
    std::random_device random;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    return Poco::Environment::nodeName() + ":" + std::to_string(::getpid()) + ":" +
           pidSpaceMark() + "." + suffix;
  }();
  return id;
}

namespace {

/// The pid of `holder` when it names a process of this host, kernel boot and pid namespace;
/// nothing when that cannot be known for sure (another host or container, an unparsable id).
std::optional<pid_t> pidHere(const std::string& holder) {
  // "host:pid:mark.random"; the host name may itself hold ':' (never in practice), so parse
  // from the right.
  const auto last = holder.rfind(':');
  if (last == std::string::npos || last == 0) return std::nullopt;
  const auto before = holder.rfind(':', last - 1);
  if (before == std::string::npos) return std::nullopt;
  const std::string host = holder.substr(0, before);
  const std::string pid_text = holder.substr(before + 1, last - before - 1);
  const std::string suffix = holder.substr(last + 1);
  if (host != Poco::Environment::nodeName() || suffix.rfind(pidSpaceMark() + ".", 0) != 0) {
    return std::nullopt;
  }
  if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos ||
      pid_text.size() > 9) {
    return std::nullopt;
  }
  const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  if (pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace

bool holderIsDeadHere(const std::string& holder) {
  const auto pid = pidHere(holder);
  if (!pid || *pid == ::getpid()) return false;
  // Only "no such process" is proof; EPERM means a live process of another user.
  return ::kill(*pid, 0) != 0 && errno == ESRCH;
}

bool holderIsAliveHere(const std::string& holder) {
  const auto pid = pidHere(holder);
  if (!pid) return false;
  if (*pid == ::getpid()) return true;
  return ::kill(*pid, 0) == 0 || errno == EPERM;
}

}  // namespace mobisync::state
