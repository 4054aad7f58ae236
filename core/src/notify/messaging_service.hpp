// SPDX-License-Identifier: Apache-2.0
// MessagingService: what `mobisync run` does with messages besides running jobs. One thread
// owns a long-lived NotifierPool (so SMPP binds stay open between job runs and late receipts
// arrive) and loops: drain the outbox, store receipts, hand replies to the InboundHandler, turn
// submitted messages without a final receipt into `unknown` after [messaging] receipt_expiry,
// and import the provider's opt-out list on its schedule.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/app_config.hpp"
#include "notify/inbound_handler.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_session.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// What the service uses from parts that live elsewhere; each may be left empty.
struct MessagingHooks {
  /// Tells the provider about opt-outs by reply (optouts:sms); empty: it is not told.
  std::function<std::unique_ptr<OptoutSubscriber>()> subscriber;
  /// Imports the provider's opt-out list into the suppressions; returns the numbers added.
  /// Called when [messaging.optouts] import_schedule is due (and once at start when set).
  std::function<std::int64_t(state::StateStore&, std::int64_t now_ms)> import_optouts;
};

struct MessagingTiming {
  /// Longest sleep between passes when nothing happens; wake() cuts it short.
  std::chrono::milliseconds idle{250};
  /// How often submitted messages are checked against receipt_expiry (at least twice within it).
  std::chrono::milliseconds expiry_sweep{60000};
};

/// Threading: the service's thread is the only one that touches its notifier instances and its
/// state connection. Job runs of the daemon keep their own NotifierPool for the sends of their
/// run (so `sync` and the daemon behave the same, and a run ends once its messages are
/// submitted); whatever they leave queued (retries), and what `sync` or `send` in another
/// process queued, this service sends. Receipts for messages a run's own binds sent reach the
/// service when the SMSC routes receipts to any receiver bind of the system id, as SMSCs do.
class MessagingService {
 public:
  /// Borrows `cfg` and `loader`, which must outlive the service.
  MessagingService(const config::AppConfig& cfg, plugin_host::PluginLoader& loader,
                   MessagingHooks hooks = {}, MessagingTiming timing = {});
  /// Stops the thread (stop()).
  ~MessagingService();
  MessagingService(const MessagingService&) = delete;
  MessagingService& operator=(const MessagingService&) = delete;

  /// Declares the messaging metric series of every configured notifier at 0, then starts the
  /// thread: it opens the state and creates every configured notifier.
  void start();
  /// Asks the thread to finish its pass, take the last receipts and replies, shut the notifiers
  /// down (unbinding), take once more what arrived meanwhile, and waits for it.
  void stop();
  /// Cuts the current sleep short: something was queued.
  void wake();
  /// Passes completed so far (tests wait on it).
  std::int64_t passes() const { return passes_.load(); }

 private:
  class Loop;
  void run();

  const config::AppConfig& cfg_;
  plugin_host::PluginLoader& loader_;
  MessagingHooks hooks_;
  MessagingTiming timing_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> passes_{0};
  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool woken_ = false;
};

}  // namespace mobisync::notify
