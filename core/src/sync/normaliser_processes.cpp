// SPDX-License-Identifier: Apache-2.0
// NormaliserProcesses: fork, a length-prefixed request/answer protocol, fallback in process.
#include "sync/normaliser_processes.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mobisync::sync {
namespace {

// Both ways a message is a 32-bit byte count, then that many bytes of fields; a field is a
// 32-bit length and its bytes. A request holds the cells; an answer holds per cell a byte
// ('1' accepted, '0' rejected) and the number or the rejection's reason.
void putField(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(s);
}

bool takeField(std::string_view& in, std::string_view* field) {
  std::uint32_t n = 0;
  if (in.size() < sizeof n) return false;
  std::memcpy(&n, in.data(), sizeof n);
  in.remove_prefix(sizeof n);
  if (in.size() < n) return false;
  *field = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

bool sendMessage(int fd, const std::string& payload) {
  std::string msg;
  putField(msg, payload);
  for (std::size_t done = 0; done < msg.size();) {
    // MSG_NOSIGNAL: a dead child is a failed batch, not a SIGPIPE for the whole process.
    ssize_t n = ::send(fd, msg.data() + done, msg.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool readExactly(int fd, char* buf, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::read(fd, buf + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool receiveMessage(int fd, std::string* payload) {
  std::uint32_t n = 0;
  if (!readExactly(fd, reinterpret_cast<char*>(&n), sizeof n)) return false;
  payload->resize(n);
  return readExactly(fd, payload->data(), n);
}

[[noreturn]] void serve(int fd, const model::MsisdnNormalizer& normalizer, pid_t parent) {
  model::MsisdnNormalizer::becomeForkedWorker();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);  // the parent died before the line above
  // Nothing of the parent's (state file, sockets, other workers' ends) stays open here.
  if (fd > 0) ::close_range(0, static_cast<unsigned>(fd) - 1, 0);
  ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
  std::string request, answer;
  while (receiveMessage(fd, &request)) {
    answer.clear();
    std::string_view in = request, cell;
    while (takeField(in, &cell)) {
      auto r = normalizer.normalize(cell);
      answer += r ? '1' : '0';
      putField(answer, r ? *r : r.error().message());
    }
    if (!sendMessage(fd, answer)) break;
  }
  ::_exit(0);  // no destructors or atexit handlers of the parent's objects
}

}  // namespace

NormaliserProcesses::NormaliserProcesses(const model::MsisdnNormalizer& normalizer,
                                         unsigned count, std::chrono::seconds timeout)
    : normalizer_(normalizer) {
  if (count == 0) return;
  model::MsisdnNormalizer::whileQuiescent([&] {
    for (unsigned i = 0; i < count; ++i) {
      int sv[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return;
      const pid_t parent = ::getpid();
      const pid_t pid = ::fork();
      if (pid == 0) serve(sv[1], normalizer_, parent);
      ::close(sv[1]);
      if (pid < 0) {
        ::close(sv[0]);
        return;
      }
      // A worker that stops reading or answering fails its batch instead of blocking the read
      // (a batch takes a fraction of a second): a hang costs the timeout once.
      const timeval limit{static_cast<time_t>(timeout.count()), 0};
      ::setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
      ::setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      workers_.push_back(Worker{sv[0], pid, false});
    }
  });
}

NormaliserProcesses::~NormaliserProcesses() {
  for (Worker& w : workers_) {
    if (w.fd >= 0) ::close(w.fd);
    // A worker holds nothing worth waiting for, and one that hangs must not hang this process.
    ::kill(w.pid, SIGKILL);
    while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

unsigned NormaliserProcesses::workers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  unsigned n = 0;
  for (const Worker& w : workers_) n += w.fd >= 0;
  return n;
}

std::vector<pid_t> NormaliserProcesses::pids() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<pid_t> out;
  for (const Worker& w : workers_) {
    if (w.fd >= 0) out.push_back(w.pid);
  }
  return out;
}

int NormaliserProcesses::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    bool any_alive = false;
    for (std::size_t i = 0; i < workers_.size(); ++i) {
      if (workers_[i].fd < 0) continue;
      any_alive = true;
      if (!workers_[i].busy) {
        workers_[i].busy = true;
        return static_cast<int>(i);
      }
    }
    if (!any_alive) return -1;
    free_.wait(lock);
  }
}

void NormaliserProcesses::release(int index, bool failed) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Worker& w = workers_[static_cast<std::size_t>(index)];
    w.busy = false;
    if (failed) {
      ::close(w.fd);  // a child that failed once is not trusted with another batch
      w.fd = -1;
      ::kill(w.pid, SIGKILL);  // reaped by the destructor
    }
  }
  free_.notify_all();
}

std::vector<Result<std::string>> NormaliserProcesses::inProcess(
    const std::vector<std::string_view>& cells) const {
  std::vector<Result<std::string>> out;
  out.reserve(cells.size());
  for (std::string_view c : cells) out.push_back(normalizer_.normalize(c));
  return out;
}

std::vector<Result<std::string>> NormaliserProcesses::normalize(
    const std::vector<std::string_view>& cells) {
  const int index = acquire();
  if (index < 0) return inProcess(cells);
  const int fd = workers_[static_cast<std::size_t>(index)].fd;
  std::string request, answer;
  for (std::string_view c : cells) putField(request, c);
  std::vector<Result<std::string>> out;
  bool ok = sendMessage(fd, request) && receiveMessage(fd, &answer);
  if (ok) {
    out.reserve(cells.size());
    std::string_view in = answer, field;
    while (ok && out.size() < cells.size()) {
      ok = !in.empty();
      if (!ok) break;
      const bool accepted = in.front() == '1';
      in.remove_prefix(1);
      ok = takeField(in, &field);
      if (!ok) break;
      out.push_back(accepted ? Result<std::string>(std::string(field))
                             : Result<std::string>(Status::rejected(std::string(field))));
    }
    ok = ok && in.empty();
  }
  release(index, !ok);
  return ok ? out : inProcess(cells);
}

}  // namespace mobisync::sync
