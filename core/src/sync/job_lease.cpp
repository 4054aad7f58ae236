// SPDX-License-Identifier: Apache-2.0
// JobLease: acquisition on the run's connection, renewal on a heartbeat thread's own.
#include "sync/job_lease.hpp"

#include <Poco/Data/Session.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <Poco/Logger.h>

namespace mobisync::sync {

namespace {

// How often the heartbeat looks at the caller's stop flag, which nobody notifies.
constexpr std::chrono::milliseconds kStopPoll{100};

Poco::Logger& log() { return Poco::Logger::get("mobisync.sync"); }

}  // namespace

std::int64_t wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string leaseTimeText(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000),
                                         Poco::DateTimeFormat::ISO8601_FORMAT);
}

JobLease::JobLease(state::StateStore& store, const state::StateLocation& where, std::string job,
                   std::chrono::milliseconds ttl, const std::atomic<bool>* outer_stop)
    : store_(store), job_(std::move(job)), ttl_(ttl), outer_stop_(outer_stop) {
  state::LeaseStore leases(store_);
  token_ = leases.tryAcquire(job_, state::processHolderId(), ttl_.count(), wallClockMs());
  if (!token_) {
    if (auto row = leases.find(job_)) other_ = std::move(*row);
    // A run of this host that was killed leaves its lease for a whole ttl; a rerun (the next
    // cron tick, an operator) need not wait for a process that is gone.
    if (!other_.holder.empty() && state::holderIsDeadHere(other_.holder)) {
      token_ = leases.tryTakeOver(job_, other_.holder, state::processHolderId(), ttl_.count(),
                                  wallClockMs());
      if (token_) {
        log().information("job %s: took over the lease of %s, a process of this host that is "
                          "gone (lease token %s)",
                          job_, other_.holder, std::to_string(*token_));
      }
    }
    if (!token_) return;
  }
  store_.fenceJob(job_, *token_);
  thread_ = std::thread([this, where] { heartbeat(where); });
}

JobLease::~JobLease() {
  if (!token_) return;
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
  }
  wake_.notify_all();
  thread_.join();
  store_.unfenceJob();
  if (lost_.load()) return;
  // A daemon that is stopping hands the job over at once rather than one ttl later.
  const bool stopping = outer_stop_ != nullptr && outer_stop_->load();
  if (!release_ && !stopping) return;
  try {
    state::LeaseStore(store_).release(job_, *token_);
  } catch (const std::exception& e) {
    // The lease then runs out by itself within one ttl; the next run waits that long at most.
    log().warning("job %s: cannot release its lease: %s", job_, std::string(e.what()));
  }
}

std::string JobLease::lostReason() const {
  std::lock_guard lock(mutex_);
  return lost_reason_;
}

void JobLease::heartbeat(state::StateLocation where) {
  using Steady = std::chrono::steady_clock;
  std::optional<Poco::Data::Session> session;
  const auto interval = std::max(ttl_ / 3, std::chrono::milliseconds(1));
  auto last_renewed = Steady::now();
  auto next_renewal = last_renewed + interval;
  std::string last_error;
  auto lose = [&](const std::string& why) {
    {
      std::lock_guard lock(mutex_);
      lost_reason_ = "lease lost: " + why;
    }
    lost_.store(true);
    stop_.store(true);
    log().error("job %s: lease lost: %s; stopping before the next write", job_, why);
  };

  std::unique_lock lock(mutex_);
  while (!ending_) {
    wake_.wait_for(lock, kStopPoll);
    if (ending_) break;
    if (outer_stop_ != nullptr && outer_stop_->load()) stop_.store(true);
    if (lost_.load() || Steady::now() < next_renewal) continue;
    lock.unlock();
    try {
      if (!session) session.emplace(state::openStateSession(where));
      state::LeaseStore leases(*session, where.display());
      if (leases.renew(job_, *token_, ttl_.count(), wallClockMs())) {
        last_renewed = Steady::now();
      } else {
        auto row = leases.find(job_);
        lose(row ? "taken over by " + row->holder + " (lease token " +
                       std::to_string(row->token) + ", this run held " +
                       std::to_string(*token_) + ")"
                 : "the lease row is gone");
      }
    } catch (const std::exception& e) {
      // A state that is briefly unreachable costs nothing while the lease runs; reconnect next.
      last_error = e.what();
      session.reset();
      log().warning("job %s: cannot renew its lease: %s", job_, last_error);
    }
    if (!lost_.load() && Steady::now() - last_renewed >= ttl_) {
      lose("not renewed for " + std::to_string(ttl_.count()) + " ms (" + last_error + ")");
    }
    next_renewal = Steady::now() + interval;
    lock.lock();
  }
}

}  // namespace mobisync::sync
