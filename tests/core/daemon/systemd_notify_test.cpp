// SPDX-License-Identifier: Apache-2.0
// SystemdNotify against a real unix datagram socket standing in for $NOTIFY_SOCKET.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "daemon/systemd_notify.hpp"
#include "support/notify_socket.hpp"
#include "support/temp_dir.hpp"

using mobisync::daemon::SystemdNotify;
using mobisync::test::NotifySocket;

namespace {

/// Sets the variables for the object's lifetime.
class Environment {
 public:
  Environment(const std::string& socket, const std::string& usec, const std::string& pid) {
    ::setenv("NOTIFY_SOCKET", socket.c_str(), 1);
    set("WATCHDOG_USEC", usec);
    set("WATCHDOG_PID", pid);
  }
  ~Environment() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }

 private:
  static void set(const char* name, const std::string& v) {
    if (v.empty()) {
      ::unsetenv(name);
    } else {
      ::setenv(name, v.c_str(), 1);
    }
  }
};

}  // namespace

TEST_SUITE("core.daemon") {
  TEST_CASE("READY, RELOADING, STOPPING and WATCHDOG reach the notify socket") {
    mobisync::test::TempDir dir;
    NotifySocket socket(dir.file("notify"));
    Environment env(dir.file("notify"), "2000000", std::to_string(::getpid()));
    SystemdNotify notify;
    REQUIRE(notify.enabled());
    REQUIRE(notify.watchdogInterval().has_value());
    CHECK(notify.watchdogInterval()->count() == 1000);  // half of WATCHDOG_USEC

    notify.ready("running 1 scheduled job(s)");
    CHECK(socket.receive() == "READY=1\nSTATUS=running 1 scheduled job(s)");
    notify.reloading();
    const std::string reloading = socket.receive();
    CHECK(reloading.rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    notify.watchdogIfDue();
    CHECK(socket.receive() == "WATCHDOG=1");
    // Not again before half the watchdog time passed.
    notify.watchdogIfDue();
    CHECK_FALSE(socket.pending());
    notify.stopping();
    CHECK(socket.receive() == "STOPPING=1");
  }

  TEST_CASE("an abstract NOTIFY_SOCKET name works too") {
    const std::string name = "mobisync-test-" + std::to_string(::getpid());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path + 1, name.data(), name.size());
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())) == 0);
    Environment env("@" + name, "", "");
    SystemdNotify notify;
    CHECK_FALSE(notify.watchdogInterval().has_value());
    CHECK(notify.send("READY=1"));
    char buffer[64];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    CHECK(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0) == "READY=1");
    ::close(fd);
  }

  TEST_CASE("a watchdog meant for another process and no socket at all are ignored") {
    Environment env("", "2000000", "1");
    ::unsetenv("NOTIFY_SOCKET");
    SystemdNotify notify;
    CHECK_FALSE(notify.enabled());
    CHECK_FALSE(notify.watchdogInterval().has_value());
    CHECK_FALSE(notify.send("READY=1"));
  }
}
