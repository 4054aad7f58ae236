// SPDX-License-Identifier: Apache-2.0
// MetricsServer: GET /metrics (Prometheus text 0.0.4), GET /healthz and, when the owner gives a
// handler, POST requests with a bounded body, on one listener.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "metrics/listen_socket.hpp"
#include "metrics/registry.hpp"

namespace mobisync::metrics {

struct RequestHead;

/// Serves `registry` on `listen` ("host:port", port 0 = any free port) while the object lives.
/// /healthz answers 200 "ok" while `health` returns nothing, else 503 with its reason; /readyz
/// the same with `ready` (liveness and readiness). Not copyable.
///
/// One thread polls every connection, so a connection that sends nothing (or trickles its
/// request) holds no thread and never delays a scrape: its request head must arrive within
/// kRequestDeadline of the connect, else it is closed; past kMaxConnections the oldest is closed.
/// A POST's body must arrive within the same deadline and be at most kMaxBodyBytes (413 above,
/// 411 without a Content-Length). The handler runs on the listener's thread: it should be quick.
class MetricsServer {
 public:
  /// Returns an empty string when healthy, else why not.
  using Health = std::function<std::string()>;

  /// What a POST handler answers.
  struct Reply {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };
  /// Answers one POST (`method` is "POST"; `path` without its query string). The metrics layer
  /// knows nothing of what is posted: the daemon registers this. It must not throw; if it does,
  /// the answer is 500 and the log says why.
  using PostHandler =
      std::function<Reply(std::string_view method, std::string_view path, std::string_view body)>;

  static constexpr int kRequestDeadlineMs = 2000;
  static constexpr int kWriteDeadlineMs = 5000;
  static constexpr std::size_t kMaxConnections = 64;
  static constexpr std::size_t kMaxBodyBytes = 64 * 1024;

  /// Binds `listen` exclusively (see ListenSocket) before returning.
  /// @throws ListenError naming the address and the reason when it cannot be bound.
  /// Without `post`, a POST is answered 405.
  MetricsServer(const std::string& listen, const Registry& registry, Health health,
                PostHandler post = {}, Health ready = {});
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// The bound port (useful with port 0).
  int port() const { return socket_.port(); }
  const std::string& listen() const { return listen_; }

 private:
  void serve();
  /// The whole response to a complete request (`head` parsed, `body` read).
  std::string answer(const RequestHead& head, std::string_view body);

  std::string listen_;
  ListenSocket socket_;
  const Registry& registry_;
  Health health_;
  PostHandler post_;
  Health ready_;
  int wake_[2] = {-1, -1};  ///< the destructor writes to wake_[1] to end serve()
  std::thread thread_;
};

}  // namespace mobisync::metrics
