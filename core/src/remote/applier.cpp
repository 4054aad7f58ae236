// SPDX-License-Identifier: Apache-2.0
// Applier: runs provider calls concurrently, with retry, backoff and an optional rate limit.
#include "remote/applier.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "remote/call_worker.hpp"
#include "remote/proxy_client.hpp"
#include "remote/rate_limiter.hpp"
#include "remote/run_state.hpp"
#include "values/job_context.hpp"

namespace mobisync::remote {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long the calling thread lets results gather between two hand-overs.
constexpr std::chrono::microseconds kGroupCommitLinger{1000};

Poco::Logger& logger() {
  static Poco::Logger& l = Poco::Logger::get("mobisync.remote");
  return l;
}

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

Applier::Applier(config::ProviderSettings settings) : settings_(std::move(settings)) {
  // The workers are threads of their own: they label their metrics with the job copied here.
  if (settings_.job.empty()) settings_.job = values::currentJob().job;
}

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
    const std::string why = provider_http::scrubSecret(e.displayText(), settings_.password);
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
      rs.halt("stopped", "could not start a worker thread");
      throw;
    }

    // Group commit: hand over whatever finished since the last hand-over, so the caller's
    // transaction count follows the load instead of the call count.
    std::size_t reported = 0;
    std::vector<Completed> batch;
    try {
      while (reported < calls.size()) {
        rs.take(batch);
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
      rs.halt("stopped", "recording results failed");
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
  if (rs.halted()) {
    stats.halt_reason = rs.haltReason();
  }
  if (stats.auth_failed) {
    logger().error("provider: the provider refused the credentials of user " +
                   settings_.username + "; the run stopped early (" +
                   std::to_string(stats.unavailable) + " of " + std::to_string(calls.size()) +
                   " calls unavailable)");
  } else if (rs.halted()) {
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
