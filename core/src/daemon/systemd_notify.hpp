// SPDX-License-Identifier: Apache-2.0
// The sd_notify protocol without libsystemd: datagrams to $NOTIFY_SOCKET.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mobisync::daemon {

/// Tells the service manager how the daemon is doing (Type=notify units): READY=1 once it
/// serves, RELOADING=1 and READY=1 around a reload, STOPPING=1, and WATCHDOG=1 pings. Does
/// nothing when $NOTIFY_SOCKET is unset (not under systemd). Never throws: a manager that
/// cannot be told is logged once at warning, the daemon goes on.
class SystemdNotify {
 public:
  /// Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID (a watchdog meant for another
  /// process, e.g. a shell that started us, is ignored).
  SystemdNotify();

  bool enabled() const { return !socket_.empty(); }
  /// How often to send WATCHDOG=1: half of $WATCHDOG_USEC, as sd_watchdog_enabled(3) advises;
  /// nothing when no watchdog is asked for.
  std::optional<std::chrono::milliseconds> watchdogInterval() const { return watchdog_; }

  void ready(std::string_view status);
  void reloading();
  void stopping();
  /// Sends WATCHDOG=1 when half the watchdog time passed since the last one.
  void watchdogIfDue();

  /// Sends `state` ("READY=1\nSTATUS=...") as one datagram; false when it could not be sent.
  bool send(std::string_view state);

 private:
  std::string socket_;
  std::optional<std::chrono::milliseconds> watchdog_;
  std::chrono::steady_clock::time_point last_ping_{};
  bool warned_ = false;
};

}  // namespace mobisync::daemon
