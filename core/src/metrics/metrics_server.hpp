// SPDX-License-Identifier: Apache-2.0
// MetricsServer: GET /metrics (Prometheus text 0.0.4) and GET /healthz on one listener.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "metrics/registry.hpp"

namespace Poco::Net {
class HTTPServer;
}
namespace Poco {
class ThreadPool;
}

namespace mobisync::metrics {

/// Serves `registry` on `listen` ("host:port", port 0 = any free port) while the object lives.
/// /healthz answers 200 "ok" while `healthy()` is true, else 503 with its reason. Not copyable.
class MetricsServer {
 public:
  /// Returns an empty string when healthy, else why not.
  using Health = std::function<std::string()>;

  /// @throws Poco::Exception when the address cannot be bound.
  MetricsServer(const std::string& listen, const Registry& registry, Health health);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// The bound port (useful with port 0).
  int port() const { return port_; }
  const std::string& listen() const { return listen_; }

 private:
  std::string listen_;
  int port_ = 0;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mobisync::metrics
