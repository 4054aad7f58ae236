// SPDX-License-Identifier: Apache-2.0
// Shared by the daemon tests: a one-job config against the simulator, the metrics port the
// daemon logs, plain HTTP GETs with a deadline, and a port held by a socket of the test's own.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/test_paths.hpp"

namespace mobisync::test::daemon {

// The daemon tests wait up to 60 s for what a daemon does on its schedule.
inline bool eventually(const std::function<bool()>& ready,
                       std::chrono::seconds limit = std::chrono::seconds(60)) {
  return mobisync::test::eventually(ready, limit);
}

/// GET `path` on 127.0.0.1:`port`. Every socket operation gives up after `timeout` (throwing
/// Poco::TimeoutException): a bound for a broken listener, not a speed claim.
inline std::pair<int, std::string> httpGet(int port, const std::string& path,
                                           std::chrono::seconds timeout = std::chrono::seconds(30)) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  return {static_cast<int>(response.getStatus()), body};
}

/// A job "people" on people.csv, state.db beside the config, metrics on `listen`, [daemon]
/// stop_timeout 30 s.
inline std::string config(const SimulatorProcess& sim, const std::string& schedule,
                          const std::string& listen = "127.0.0.1:0") {
  return "[provider]\nbase_url = \"" + sim.baseUrl() +
         "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n"
         "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
         mobisync::test::pluginDir() + "\"]\n\n[metrics]\nlisten = \"" + listen +
         "\"\n\n[daemon]\nstop_timeout = 30\n"
         "\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
         "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
         "applications = [\"contacts:42\"]\nschedule = \"" +
         schedule + "\"\ntimezone = \"Europe/London\"\n";
}

inline const char* const kPeople =
    "msisdn,name\n07930 000001,Ann\n07930 000002,Bob\n07930 000003,Cy\n07930 000004,Di\n"
    "07930 000005,Ed\n07930 00000x,Bad number\n";

/// The metrics port the daemon logged ("metrics on http://127.0.0.1:N/metrics"), the last one
/// when it logged several; 0 before it did.
inline int metricsPort(const std::string& log) {
  static const std::regex kLine(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)");
  int port = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), kLine); it != std::sregex_iterator();
       ++it) {
    port = std::stoi((*it)[1]);
  }
  return port;
}
inline int metricsPort(const ChildProcess& daemon) { return metricsPort(daemon.readStderr()); }

/// The whole file; "" when it does not exist (yet).
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// How many times `needle` occurs in `haystack`.
inline std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

/// A loopback port held by a plain listening socket of the test (no SO_REUSEPORT), the way
/// another program would hold it, until the object goes away.
class HeldPort {
 public:
  HeldPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd_, 4) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &length) != 0) {
      throw std::runtime_error("cannot hold a loopback port");
    }
    port_ = ntohs(a.sin_port);
  }
  ~HeldPort() { release(); }
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// TCP connections to 127.0.0.1:`port` that send nothing, closed with the object.
class IdleConnections {
 public:
  IdleConnections(int port, int count) {
    for (int i = 0; i < count; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(static_cast<std::uint16_t>(port));
      if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
      }
      fds_.push_back(fd);
    }
  }
  ~IdleConnections() {
    for (int fd : fds_) ::close(fd);
  }
  IdleConnections(const IdleConnections&) = delete;
  IdleConnections& operator=(const IdleConnections&) = delete;

 private:
  std::vector<int> fds_;
};

}  // namespace mobisync::test::daemon
