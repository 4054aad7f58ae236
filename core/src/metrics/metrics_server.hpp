// SPDX-License-Identifier: Apache-2.0
// MetricsServer: GET /metrics (Prometheus text 0.0.4) and GET /healthz on one listener.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "metrics/listen_socket.hpp"
#include "metrics/registry.hpp"

namespace mobisync::metrics {

/// Serves `registry` on `listen` ("host:port", port 0 = any free port) while the object lives.
/// /healthz answers 200 "ok" while `healthy()` is true, else 503 with its reason. Not copyable.
///
/// One thread polls every connection, so a connection that sends nothing (or trickles its
/// request) holds no thread and never delays a scrape: its request head must arrive within
/// kRequestDeadline of the connect, else it is closed; past kMaxConnections the oldest is closed.
class MetricsServer {
 public:
  /// Returns an empty string when healthy, else why not.
  using Health = std::function<std::string()>;

  static constexpr int kRequestDeadlineMs = 2000;
  static constexpr int kWriteDeadlineMs = 5000;
  static constexpr std::size_t kMaxConnections = 64;

  /// Binds `listen` exclusively (see ListenSocket) before returning.
  /// @throws ListenError naming the address and the reason when it cannot be bound.
  MetricsServer(const std::string& listen, const Registry& registry, Health health);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// The bound port (useful with port 0).
  int port() const { return socket_.port(); }
  const std::string& listen() const { return listen_; }

 private:
  void serve();

  std::string listen_;
  ListenSocket socket_;
  const Registry& registry_;
  Health health_;
  int wake_[2] = {-1, -1};  ///< the destructor writes to wake_[1] to end serve()
  std::thread thread_;
};

}  // namespace mobisync::metrics
