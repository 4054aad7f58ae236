// SPDX-License-Identifier: Apache-2.0
// MessagingService: the thread and its passes.
#include "notify/messaging_service.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <vector>

#include <Poco/Logger.h>

#include "metrics/catalog.hpp"
#include "notify/message_metrics.hpp"
#include "notify/notifier_pool.hpp"
#include "notify/outbox_drain.hpp"
#include "state/message_log.hpp"
#include "state/outbox.hpp"
#include "values/cron_expression.hpp"
#include "values/time_zone.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::notify {

namespace {

Poco::Logger& log() { return Poco::Logger::get("mobisync.messaging"); }

using values::nowMs;

/// Rows per notifier, or per notifier in one status.
std::map<std::string, std::int64_t> rowsPerNotifier(state::StateStore& store,
                                                    const char* status = nullptr) {
  std::map<std::string, std::int64_t> out;
  for (const auto& [key, n] : state::Outbox(store).countsByNotifier()) {
    if (status == nullptr || key.second == status) out[key.first] += n;
  }
  return out;
}

/// When the provider's opt-out list is next imported, from [messaging.optouts] import_schedule.
class ImportSchedule {
 public:
  explicit ImportSchedule(const config::OptoutSettings& o) {
    if (o.import_schedule.empty()) return;
    auto cron = values::CronExpression::parse(o.import_schedule);
    auto zone = values::TimeZone::named(o.import_timezone);
    if (cron && zone) {
      cron_.emplace(*cron);
      zone_.emplace(*zone);
    }
  }
  /// True when an import is due at `now_ms` (the first call: at once).
  bool due(std::int64_t now_ms) {
    if (!cron_) return false;
    if (next_ms_ > now_ms) return false;
    const auto now = std::chrono::floor<std::chrono::seconds>(
        std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now_ms)));
    auto next = cron_->nextAfter(now, *zone_);
    next_ms_ = next ? std::chrono::duration_cast<std::chrono::milliseconds>(
                          next->time_since_epoch()).count()
                    : INT64_MAX;
    return true;
  }

 private:
  std::optional<values::CronExpression> cron_;
  std::optional<values::TimeZone> zone_;
  std::int64_t next_ms_ = 0;
};

}  // namespace

/// Everything the thread owns; built and destroyed on it.
class MessagingService::Loop {
 public:
  Loop(const config::AppConfig& cfg, plugin_host::PluginLoader& loader,
       const MessagingHooks& hooks, const MessagingTiming& timing)
      : cfg_(cfg), hooks_(hooks), timing_(timing),
        store_(state::StateLocation{cfg.state_path, cfg.state_url, cfg.state_password}),
        pool_(cfg, loader, &store_), subscriber_(hooks.subscriber ? hooks.subscriber() : nullptr),
        inbound_(cfg, store_, subscriber_.get()), imports_(cfg.optouts) {
    for (const auto& nc : cfg.notifiers) {
      auto n = pool_.get(nc.name);
      if (!n) {
        log().error("messaging: %s; its messages stay queued until the config is fixed",
                    n.error().message());
        continue;
      }
      notifiers_.push_back(Notifier{*n, (*n)->instance.capability<plugin::InboundSource>(),
                                    (*n)->instance.capability<plugin::LinkStatus>(), {}, {}});
    }
    rows_ = rowsPerNotifier(store_);
    next_sweep_ms_ = 0;
  }

  /// One pass: what is queued, the outbox, receipts and replies, expiry, the import.
  void pass() {
    const std::int64_t now = nowMs();
    countQueued();
    for (auto& n : notifiers_) drain(n, now);
    take(now);
    if (now >= next_sweep_ms_) {
      sweepExpiry(now);
      retryProviderOptouts();
      // A short receipt_expiry (tests, demos) is swept at least twice within it.
      next_sweep_ms_ = now + std::min<std::int64_t>(
                                 timing_.expiry_sweep.count(),
                                 std::max<std::int64_t>(cfg_.messaging.receipt_expiry_ms / 2, 250));
    }
    if (hooks_.import_optouts && imports_.due(now)) importOptouts(now);
  }

  /// Unbinds every notifier, then records what they received until the unbind completed:
  /// a receipt acknowledged during the graceful unbind is held by the plugin, not lost.
  void finish() {
    take(nowMs());
    for (auto& n : notifiers_) n.instance->instance.shutdown();
    take(nowMs());
  }

  /// Receipts and replies the notifiers hold now, recorded (also the ones a failed pass kept).
  void take(std::int64_t now) {
    for (auto& n : notifiers_) {
      guardedTake(n, now);
      if (n.link != nullptr) {
        metrics::global().set(metrics::kSmppBoundSessions, {{"notifier", n.instance->name}},
                              n.link->boundSessions());
      }
    }
  }

 private:
  struct Notifier {
    NotifierInstance* instance;
    plugin::InboundSource* inbound;
    plugin::LinkStatus* link;
    std::deque<plugin::Receipt> receipts;        ///< taken, not yet recorded
    std::deque<plugin::InboundMessage> replies;  ///< taken, not yet handled
  };

  void countQueued() {
    // Every message is written 'queued' first, by this process or another: new rows are new
    // queued messages.
    for (const auto& [name, rows] : rowsPerNotifier(store_)) {
      countMessages(name, "queued", rows - rows_[name]);
      rows_[name] = rows;
    }
  }

  void drain(Notifier& n, std::int64_t now) {
    DrainSettings settings;
    settings.notifiers = {n.instance->name};
    try {
      // The drain counts its own outcomes (submitted, failed, expired, suppressed).
      DrainCounts c = OutboxDrain(pool_, store_, settings).drainOnce(now);
      for (const auto& p : c.problems) log().warning("messaging: %s", p);
    } catch (const std::exception& e) {
      log().error("messaging: draining %s: %s", n.instance->name, std::string(e.what()));
    }
  }

  void guardedTake(Notifier& n, std::int64_t now) {
    const std::string& name = n.instance->name;
    if (n.instance->receipts != nullptr) {
      auto got = plugin_host::guardedResult<std::vector<plugin::Receipt>>(
          n.instance->plugin, [&] { return n.instance->receipts->takeReceipts(); });
      if (got) n.receipts.insert(n.receipts.end(), got->begin(), got->end());
    }
    if (n.inbound != nullptr) {
      auto got = plugin_host::guardedResult<std::vector<plugin::InboundMessage>>(
          n.instance->plugin, [&] { return n.inbound->takeInbound(); });
      if (got) n.replies.insert(n.replies.end(), got->begin(), got->end());
    }
    try {
      // Kept until recorded: a state failure leaves the rest for the next pass.
      while (!n.receipts.empty()) {
        recordReceiptCounted(store_, name, n.receipts.front(), "smpp", now);
        n.receipts.pop_front();
      }
      while (!n.replies.empty()) {
        countInbound(name, inbound_.handle(n.replies.front(), name));
        n.replies.pop_front();
      }
    } catch (const std::exception& e) {
      log().error("messaging: recording what %s received (kept for the next pass): %s", name,
                  std::string(e.what()));
    }
  }

  void sweepExpiry(std::int64_t now) {
    try {
      auto before = rowsPerNotifier(store_, "unknown");
      const std::int64_t n =
          state::MessageLog(store_).expireUnreceipted(now, cfg_.messaging.receipt_expiry_ms);
      if (n == 0) return;
      for (const auto& [name, rows] : rowsPerNotifier(store_, "unknown")) {
        countMessages(name, "unknown", rows - before[name]);
      }
      log().information("messaging: %s submitted message(s) without a final receipt within "
                        "receipt_expiry are now unknown", std::to_string(n));
    } catch (const std::exception& e) {
      log().error("messaging: receipt expiry: %s", std::string(e.what()));
    }
  }

  /// Opt-outs by reply the provider has not confirmed yet (it was unreachable): tried again.
  void retryProviderOptouts() {
    if (!subscriber_) return;
    try {
      inbound_.syncPending();
    } catch (const std::exception& e) {
      log().error("messaging: retrying opt-outs at the provider: %s", std::string(e.what()));
    }
  }

  void importOptouts(std::int64_t now) {
    try {
      const std::int64_t added = hooks_.import_optouts(store_, now);
      metrics::global().increment(metrics::kOptouts, {{"origin", "provider"}},
                                  static_cast<double>(added));
    } catch (const std::exception& e) {
      log().error("messaging: importing the provider's opt-out list (retried at the next "
                  "scheduled time): %s", std::string(e.what()));
    }
  }

  const config::AppConfig& cfg_;
  const MessagingHooks& hooks_;
  const MessagingTiming& timing_;
  state::StateStore store_;
  // Declared after the store: destroyed first, so its instances unbind before the state closes.
  NotifierPool pool_;
  std::unique_ptr<OptoutSubscriber> subscriber_;
  InboundHandler inbound_;
  ImportSchedule imports_;
  std::vector<Notifier> notifiers_;
  std::map<std::string, std::int64_t> rows_;  ///< messages rows per notifier at the last count
  std::int64_t next_sweep_ms_ = 0;
};

MessagingService::MessagingService(const config::AppConfig& cfg,
                                   plugin_host::PluginLoader& loader, MessagingHooks hooks,
                                   MessagingTiming timing)
    : cfg_(cfg), loader_(loader), hooks_(std::move(hooks)), timing_(timing) {}

MessagingService::~MessagingService() { stop(); }

void MessagingService::start() {
  if (thread_.joinable()) return;
  // Here rather than on the thread: the series are there when start() returns.
  std::vector<std::string> names;
  for (const auto& nc : cfg_.notifiers) names.push_back(nc.name);
  metrics::declareMessagingSeries(metrics::global(), names);
  stop_.store(false);
  thread_ = std::thread([this] { run(); });
}

void MessagingService::stop() {
  stop_.store(true);
  wake();
  if (thread_.joinable()) thread_.join();
}

void MessagingService::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

void MessagingService::run() {
  std::unique_ptr<Loop> loop;
  try {
    loop = std::make_unique<Loop>(cfg_, loader_, hooks_, timing_);
  } catch (const std::exception& e) {
    // The state cannot be opened: the jobs report it too; the service has nothing to do.
    log().error("messaging service not started: %s", std::string(e.what()));
    return;
  }
  log().information("messaging service started");
  while (!stop_.load()) {
    loop->pass();
    ++passes_;
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, timing_.idle, [this] { return woken_ || stop_.load(); });
    woken_ = false;
  }
  loop->finish();
  loop.reset();
  log().information("messaging service stopped");
}

}  // namespace mobisync::notify
