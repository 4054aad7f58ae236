// SPDX-License-Identifier: Apache-2.0
// Daemon: `mobisync run` — jobs on their schedules, signals, reload, metrics listener.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "daemon/blocked_signals.hpp"
#include "daemon/health.hpp"
#include "daemon/scheduler.hpp"
#include "daemon/systemd_notify.hpp"
#include "daemon/webhook_route.hpp"
#include "metrics/metrics_server.hpp"
#include "mobisync/result.hpp"
#include "notify/messaging_service.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_session.hpp"
#include "state/state_store.hpp"

namespace mobisync::daemon {

/// A validated config with the plugin loader that validated it; every plugin its sources name
/// is already loaded, on the main thread, so runs on worker threads only look them up.
struct LoadedConfig {
  config::AppConfig cfg;
  std::unique_ptr<plugin_host::PluginLoader> loader;
};

/// Reads and validates the config (the same checks as `mobisync check`).
using ConfigLoader = std::function<Result<std::shared_ptr<const LoadedConfig>>()>;

/// Exit code when jobs in flight did not finish within [daemon] stop_timeout (EX_TEMPFAIL):
/// every confirmed batch is recorded, the next start re-plans the rest.
inline constexpr int kExitStopTimeout = 75;

/// Runs until SIGTERM or SIGINT. Signals are taken synchronously (sigtimedwait) by the loop in
/// run(). The constructing thread must be the process's only thread: the mask set on it before
/// any member starts is inherited by every thread started later (the state probe, runs, applier
/// workers, the metrics listener), so no signal lands on a thread that cannot handle it.
class Daemon {
 public:
  explicit Daemon(ConfigLoader loader);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// @return 0 after a clean stop, 78 when the first config is invalid, 69 when the metrics
  /// listener cannot start (address in use, ...). When runs outlive the stop timeout the process
  /// exits at once with kExitStopTimeout.
  int run();

 private:
  void apply(std::shared_ptr<const LoadedConfig> loaded);
  void reload();
  void launch(const std::string& job);
  void runOne(std::shared_ptr<const LoadedConfig> loaded, std::string job);
  bool waitForRuns(std::chrono::seconds timeout);
  void rememberLeasePlace(const state::StateLocation& where);
  /// Releases `job`'s lease in `store` if this process still holds it.
  void releaseOwnLease(state::StateStore& store, const state::StateLocation& where,
                       const std::string& job);
  /// Releases the leases this process still holds (kept after runs): called once no run is left.
  void releaseLeases();
  /// Binds the listener with this daemon's webhooks, liveness and readiness.
  std::unique_ptr<metrics::MetricsServer> listenOn(const std::string& listen);
  /// Empty when ready, else every reason why not (/readyz).
  std::string readiness() const;
  /// The STATUS= systemd shows.
  std::string readyStatus() const;
  void seedFromState(const config::AppConfig& cfg);

  /// First: every member declared after it may start threads.
  BlockedSignals signals_;
  ConfigLoader loader_;
  SystemClock clock_;
  Scheduler scheduler_;
  std::shared_ptr<const LoadedConfig> current_;
  /// Loaders of replaced configs: their libraries stay loaded (never unload while running).
  std::vector<std::shared_ptr<const LoadedConfig>> retired_;
  /// The listener's POST handler (the provider's webhooks); outlives the listener.
  std::shared_ptr<WebhookRoute> webhooks_ = std::make_shared<WebhookRoute>();
  SystemdNotify notify_;
  /// Read by the listener's thread: declared before metrics_, so they outlive it.
  Heartbeat heartbeat_;
  StateProbe probe_;
  std::unique_ptr<metrics::MetricsServer> metrics_;
  /// Receipts, replies and the outbox of current_ (null without [[notifier]]); replaced, after
  /// it stopped, on each applied reload.
  std::unique_ptr<notify::MessagingService> messaging_;
  std::atomic<bool> stop_{false};
  std::mutex runs_mutex_;
  std::condition_variable runs_done_;
  int runs_in_flight_ = 0;
  /// Every state a run used (a reload may move it), for releaseLeases(); under runs_mutex_.
  std::vector<state::StateLocation> lease_places_;
};

}  // namespace mobisync::daemon
