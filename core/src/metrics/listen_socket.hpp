// SPDX-License-Identifier: Apache-2.0
// ListenSocket: a TCP listener that owns its port alone, with errors that say why it cannot.
#pragma once

#include <stdexcept>
#include <string>

namespace mobisync::metrics {

/// The address cannot be listened on. what() names the address and the reason in words
/// ("metrics listener 127.0.0.1:9464: address in use ..."), never an errno number alone.
class ListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A non-blocking listening socket on `listen` ("host:port", "[v6]:port"; port 0 = any free
/// port). SO_REUSEADDR is set, so a restart need not wait out TIME_WAIT, and SO_REUSEPORT is
/// not: a second process on the same port fails here instead of sharing its connections.
/// Closes the socket when destroyed. Not copyable.
class ListenSocket {
 public:
  /// @throws ListenError when `listen` does not resolve or cannot be bound.
  explicit ListenSocket(const std::string& listen);
  ~ListenSocket();
  ListenSocket(const ListenSocket&) = delete;
  ListenSocket& operator=(const ListenSocket&) = delete;

  int fd() const { return fd_; }
  /// The bound port (the one chosen when `listen` asked for port 0).
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace mobisync::metrics
