// SPDX-License-Identifier: Apache-2.0
// Applier: runs provider calls concurrently, with retry, backoff and an optional rate limit.
#include "remote/applier.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "metrics/catalog.hpp"
#include "remote/backoff.hpp"
#include "remote/proxy_client.hpp"
#include "remote/rate_limiter.hpp"

namespace mobisync::remote {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How often a sleeping worker looks at the caller's stop flag, which nobody notifies: short
// enough that SIGTERM feels immediate, long enough to cost nothing.
constexpr std::chrono::milliseconds kStopPollInterval{50};

// How long the calling thread lets results gather between two hand-overs.
constexpr std::chrono::microseconds kGroupCommitLinger{1000};

// Attempts in a row, across all workers, that got no HTTP answer at all (refused, reset,
// timeout, TLS) before the run stops. Small, so a provider that is down costs seconds rather
// than max_attempts backoffs per call; a single answer of any kind resets the count, so a
// flaky provider that answers now and then is retried as before.
constexpr int kBreakerFailures = 5;

Poco::Logger& logger() {
  static Poco::Logger& l = Poco::Logger::get("mobisync.remote");
  return l;
}

// Everything the workers and the calling thread share during one run().
struct RunState {
  RunState(const std::vector<ProviderCall>& c, const std::atomic<bool>* s) : calls(c), stop(s) {}

  const std::vector<ProviderCall>& calls;
  const std::atomic<bool>* stop;
  std::atomic<std::size_t> next{0};

  // A halt is a stop from inside: auth or TLS failure, or on_batch threw.
  std::atomic<bool> halted{false};
  std::atomic<bool> auth_failed{false};
  std::atomic<bool> provider_failed{false};  // breaker, TLS refusal, not the API
  std::atomic<bool> breaker_tripped{false};
  std::atomic<int> transport_failures{0};  // consecutive, across workers
  std::mutex last_error_mutex;
  std::string last_transport_error;  // guarded by last_error_mutex
  std::mutex halt_mutex;
  std::string halt_reason;  // guarded by halt_mutex; set once

  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::vector<Completed> ready;  // guarded by queue_mutex
  bool consumer_waiting = false;  // guarded by queue_mutex

  std::mutex sleep_mutex;
  std::condition_variable sleep_cv;  // wakes sleeping workers on a halt

  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> peak_in_flight{0};

  bool stopping() const {
    return halted.load(std::memory_order_relaxed) ||
           (stop != nullptr && stop->load(std::memory_order_relaxed));
  }

  void halt(const std::string& reason) {
    {
      std::lock_guard lock(halt_mutex);
      if (halt_reason.empty()) {
        halt_reason = reason;
      }
    }
    halted.store(true);
    std::lock_guard lock(sleep_mutex);
    sleep_cv.notify_all();
  }

  // Counts an attempt towards the circuit breaker; trips it after kBreakerFailures in a row.
  void countTransport(const Attempt& a, const std::string& provider) {
    if (a.outcome != Attempt::Outcome::Retry || a.http_status != 0) {
      transport_failures.store(0);
      return;
    }
    {
      std::lock_guard lock(last_error_mutex);
      last_transport_error = a.message;
    }
    if (transport_failures.fetch_add(1) + 1 == kBreakerFailures) {
      breaker_tripped.store(true);
      provider_failed.store(true);
      std::string last;
      {
        std::lock_guard lock(last_error_mutex);
        last = last_transport_error;
      }
      halt("not sent: the provider at " + provider + " gave no answer to " +
           std::to_string(kBreakerFailures) + " calls in a row; last error: " + last);
    }
  }

  // Why calls are not (or no longer) being made, for their Status.
  std::string stopReason() {
    if (halted.load()) {
      std::lock_guard lock(halt_mutex);
      return halt_reason;
    }
    return "stopped";
  }

  // Sleeps `d` unless a stop or halt comes first; returns false when interrupted.
  bool sleepFor(SteadyClock::duration d) {
    const auto deadline = SteadyClock::now() + d;
    std::unique_lock lock(sleep_mutex);
    for (;;) {
      if (stopping()) {
        return false;
      }
      const auto now = SteadyClock::now();
      if (now >= deadline) {
        return true;
      }
      sleep_cv.wait_for(lock, std::min<SteadyClock::duration>(deadline - now, kStopPollInterval));
    }
  }

  void publish(std::size_t index, CallResult&& result) {
    bool wake = false;
    {
      std::lock_guard lock(queue_mutex);
      ready.push_back(Completed{index, std::move(result)});
      wake = consumer_waiting;
      consumer_waiting = false;
    }
    // Only the first result after the consumer went to sleep wakes it; the others ride along.
    if (wake) {
      queue_cv.notify_one();
    }
  }
};

// Joins every started worker however run() leaves, so no std::thread is destroyed joinable.
class Joiner {
 public:
  explicit Joiner(std::vector<std::thread>& threads) : threads_(threads) {}
  ~Joiner() {
    for (auto& t : threads_) {
      if (t.joinable()) {
        t.join();
      }
    }
  }
  Joiner(const Joiner&) = delete;
  Joiner& operator=(const Joiner&) = delete;

 private:
  std::vector<std::thread>& threads_;
};

CallResult runOneCall(RunState& rs, const config::ProviderSettings& settings, ProxyClient& client,
                      Backoff& backoff, RateLimiter& limiter, const ProviderCall& call,
                      std::size_t index, const std::string& provider) {
  CallResult r;
  const int max_attempts = std::max(settings.max_attempts, 1);
  std::string last_error;
  int resends = 0;
  for (int attempt = 1;; ++attempt) {
    // Retries take a token too: a throttled provider is exactly when the rate matters.
    const auto wait = limiter.reserve();
    if (wait > SteadyClock::duration::zero() && !rs.sleepFor(wait)) {
      r.status = Status::unavailable(attempt == 1 ? rs.stopReason()
                                                  : rs.stopReason() + " after " +
                                                        std::to_string(attempt - 1) +
                                                        " attempts: " + last_error);
      return r;
    }

    const std::size_t now_in_flight = rs.in_flight.fetch_add(1) + 1;
    std::size_t peak = rs.peak_in_flight.load(std::memory_order_relaxed);
    while (now_in_flight > peak &&
           !rs.peak_in_flight.compare_exchange_weak(peak, now_in_flight)) {
    }
    const auto sent = SteadyClock::now();
    Attempt a = client.call(call);
    rs.in_flight.fetch_sub(1);
    metrics::recordProviderAttempt(
        call.kind == ProviderCall::Kind::Create ? "create" : "remove",
        a.outcome == Attempt::Outcome::Ok     ? "ok"
        : a.outcome == Attempt::Outcome::Drop ? "rejected"
                                              : "retry",
        std::chrono::duration<double>(SteadyClock::now() - sent).count());

    resends += a.resends;
    r.attempts = attempt + resends;
    r.http_status = a.http_status;
    rs.countTransport(a, provider);
    switch (a.outcome) {
      case Attempt::Outcome::Ok:
        r.status = Status::ok();
        r.tokens = std::move(a.tokens);
        return r;
      case Attempt::Outcome::Drop:
        if (!a.stop_run) {
          r.status = Status::rejected(std::move(a.message));
          return r;
        }
        // Not about this number: no later call can succeed either (credentials, a refused
        // certificate, something that is not the proxy API answering).
        if (a.auth_failed) {
          rs.auth_failed.store(true);
          r.status = Status::unavailable(std::move(a.message));
          rs.halt("not sent: the provider refused the credentials");
        } else {
          rs.provider_failed.store(true);
          r.status = Status::unavailable(std::move(a.message));
          rs.halt("not sent: " + r.status.message());
        }
        return r;
      case Attempt::Outcome::Retry:
        break;
    }
    if (rs.stopping()) {
      // A halt (breaker, credentials) or the caller's stop came while this call was out.
      r.status = Status::unavailable(rs.stopReason() + " after " + std::to_string(attempt) +
                                     " attempts: " + a.message);
      return r;
    }
    if (attempt >= max_attempts) {
      r.status = Status::unavailable("gave up after " + std::to_string(attempt) +
                                     " attempts: " + a.message);
      return r;
    }
    const auto delay = backoff.next(attempt, a.retry_after);
    if (logger().debug()) {
      logger().debug("retry " + std::to_string(attempt + 1) + "/" +
                     std::to_string(max_attempts) + " of call " + std::to_string(index) +
                     " (" + client.describe(call) + ") in " + std::to_string(delay.count()) +
                     " ms" +
                     (a.retry_after ? " (Retry-After " + std::to_string(a.retry_after->count()) +
                                          " ms)"
                                    : std::string()) +
                     ": " + a.message);
    }
    last_error = std::move(a.message);
    if (!rs.sleepFor(delay)) {
      r.status = Status::unavailable(rs.stopReason() + " after " + std::to_string(attempt) +
                                     " attempts: " + last_error);
      return r;
    }
  }
}

void workerLoop(RunState& rs, const config::ProviderSettings& settings, ProxyClient& client,
                RateLimiter& limiter, std::uint64_t seed, const std::string& provider) {
  Backoff backoff(settings.backoff_initial, settings.backoff_max, seed);
  for (;;) {
    const std::size_t i = rs.next.fetch_add(1);
    if (i >= rs.calls.size()) {
      return;
    }
    if (rs.stopping()) {
      CallResult r;
      r.status = Status::unavailable(rs.stopReason());
      rs.publish(i, std::move(r));
      continue;
    }
    rs.publish(i, runOneCall(rs, settings, client, backoff, limiter, rs.calls[i], i, provider));
  }
}

void tally(ApplyStats& stats, const CallResult& r) {
  if (r.attempts == 0 && r.status.code() == Errc::Unavailable) {
    ++stats.not_made;
  }
  if (r.status.isOk()) {
    ++stats.succeeded;
  } else if (r.status.code() == Errc::Unavailable) {
    ++stats.unavailable;
  } else {
    ++stats.rejected;
  }
  if (r.attempts > 1) {
    stats.retries += static_cast<std::size_t>(r.attempts - 1);
  }
}

}  // namespace

Applier::Applier(config::ProviderSettings settings) : settings_(std::move(settings)) {}

ApplyStats Applier::run(const std::vector<ProviderCall>& calls, const BatchFn& on_batch,
                        const std::atomic<bool>* stop) {
  ApplyStats stats;
  if (calls.empty()) {
    return stats;
  }
  const auto started = SteadyClock::now();
  const std::size_t workers =
      std::min(calls.size(), static_cast<std::size_t>(std::max(settings_.concurrency, 1)));

  // Clients are built here, before any thread starts, so a bad base_url or ca_file is one
  // clear error for every call instead of a race of identical ones.
  std::vector<std::unique_ptr<ProxyClient>> clients;
  try {
    Poco::Net::Context::Ptr tls;
    if (Poco::icompare(settings_.base_url.substr(0, 6), "https:") == 0) {
      tls = makeTlsContext(settings_);
    }
    clients.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) {
      clients.push_back(std::make_unique<ProxyClient>(settings_, tls));
    }
  } catch (const Poco::Exception& e) {
    const std::string why = scrubSecret(e.displayText(), settings_.password);
    logger().error("provider: cannot start calls: " + why);
    std::vector<Completed> all;
    all.reserve(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
      CallResult r;
      r.status = Status::invalidConfig(why);
      tally(stats, r);
      all.push_back(Completed{i, std::move(r)});
    }
    stats.config_error = why;
    on_batch(all);
    return stats;
  }

  RateLimiter limiter(settings_.rate_per_second);
  RunState rs(calls, stop);
  const std::string provider = clients.front()->origin();
  std::vector<std::thread> threads;
  threads.reserve(workers);
  {
    Joiner joiner(threads);
    const std::uint64_t seed = std::random_device{}();
    try {
      for (std::size_t w = 0; w < workers; ++w) {
        threads.emplace_back(workerLoop, std::ref(rs), std::cref(settings_),
                             std::ref(*clients[w]), std::ref(limiter),
                             seed + w * 0x9E3779B97F4A7C15ULL, std::cref(provider));
      }
    } catch (...) {
      rs.halt("stopped: could not start a worker thread");
      throw;
    }

    // Group commit: hand over whatever finished since the last hand-over, so the caller's
    // transaction count follows the load instead of the call count.
    std::size_t reported = 0;
    std::vector<Completed> batch;
    try {
      while (reported < calls.size()) {
        {
          std::unique_lock lock(rs.queue_mutex);
          while (rs.ready.empty()) {
            rs.consumer_waiting = true;
            rs.queue_cv.wait(lock);
          }
          rs.consumer_waiting = false;
          batch.swap(rs.ready);
        }
        for (const auto& c : batch) {
          tally(stats, c.result);
        }
        reported += batch.size();
        on_batch(batch);
        batch.clear();
        if (reported < calls.size()) {
          // Let results gather a moment instead of waking for each one: at thousands of calls
          // per second the wake-ups cost more CPU than the calls, and the caller's transaction
          // per batch gets cheaper too. Calls are not delayed by this, only their recording.
          std::this_thread::sleep_for(kGroupCommitLinger);
        }
      }
    } catch (...) {
      // The caller could not record results: make no further calls it could not record.
      rs.halt("stopped: recording results failed");
      throw;
    }
  }

  stats.peak_in_flight = rs.peak_in_flight.load();
  for (const auto& c : clients) {
    stats.connections += static_cast<std::size_t>(c->connectionsOpened());
  }
  stats.auth_failed = rs.auth_failed.load();
  stats.provider_failed = rs.provider_failed.load();
  stats.breaker_tripped = rs.breaker_tripped.load();
  stats.stopped = stop != nullptr && stop->load();
  if (rs.halted.load()) {
    stats.halt_reason = rs.stopReason();
  }
  if (stats.auth_failed) {
    logger().error("provider: the provider refused the credentials of user " +
                   settings_.username + "; the run stopped early (" +
                   std::to_string(stats.unavailable) + " of " + std::to_string(calls.size()) +
                   " calls unavailable)");
  } else if (rs.halted.load()) {
    // A refused TLS certificate stops every call: say why once, where the user looks, rather
    // than only in each call's reject line.
    logger().error("provider: the run stopped early: " + rs.stopReason());
  }
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
  if (logger().debug()) {
    logger().debug("provider: applied calls=" + std::to_string(calls.size()) +
                   " succeeded=" + std::to_string(stats.succeeded) +
                   " rejected=" + std::to_string(stats.rejected) +
                   " unavailable=" + std::to_string(stats.unavailable) +
                   " retries=" + std::to_string(stats.retries) +
                   " connections=" + std::to_string(stats.connections) +
                   " peak_in_flight=" + std::to_string(stats.peak_in_flight) +
                   " ms=" + std::to_string(ms.count()));
  }
  return stats;
}

}  // namespace mobisync::remote
